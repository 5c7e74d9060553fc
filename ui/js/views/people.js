// People (administrators): who is here, who manages whom, who administers; add
// people; reset a forgotten passphrase (after a plain confirmation).

import { el, replace } from '../dom.js';
import { t } from '../i18n.js';
import { call } from '../ipc.js';
import { deletionButton } from './deleting.js';
import {
  field, checkField, makeForm, messages, input, select, pageHeading, section, badge, emptyNote,
} from '../ui.js';
import { requireText } from './common.js';

export async function render({ me, app }) {
  let people = await call('list_people');
  const codeHost = el('div', { class: 'code-host' });
  const tableHost = el('div', { class: 'table-wrap' });
  const goneHost = el('div', { 'data-testid': 'people-gone' });
  // Those who have left keep their history but leave the lists of today.
  const here = () => people.filter((p) => !p.left);
  const tableMsgs = messages();

  function managerOptions(exceptId) {
    return [{ value: '', label: t('people.noManager') }]
      .concat(here().filter((p) => p.id !== exceptId).map((p) => ({ value: String(p.id), label: p.name })));
  }

  let openReset = null; // the one open reset confirmation: { row, close }

  function showCode(name, code, explainKey = 'people.codeExplained') {
    const heading = el('h2', { tabindex: '-1' }, t('people.codeTitle', { name }));
    const hide = el('button', { type: 'button', class: 'btn' }, t('people.codeHide'));
    hide.addEventListener('click', () => {
      replace(codeHost);
      const h = document.getElementById('h-people-list');
      if (h) h.focus();
    });
    replace(codeHost, el('div', { class: 'setup-code-panel', role: 'region', 'aria-label': t('people.codeRegion') },
      heading,
      el('p', { class: 'setup-code', 'data-testid': 'setup-code' }, code),
      el('p', {}, t(explainKey, { name })),
      el('p', { class: 'hint' }, t('people.codeOnce')),
      el('div', { class: 'actions' }, hide)));
    heading.focus();
  }

  function row(p) {
    const managerSelect = select(managerOptions(p.id), {
      'data-testid': 'person-manager', 'aria-label': t('people.managerOf', { name: p.name }),
    }, p.manager ? String(p.manager.id) : '');
    // Issue 9: choosing a manager is saved only with the button next to it.
    const saveManager = el('button', {
      type: 'button', class: 'btn btn-small', 'data-testid': 'person-manager-save',
      'aria-label': t('access.managerSaveFor', { name: p.name }), disabled: true,
    }, t('access.managerSave'));
    const current = () => (p.manager ? String(p.manager.id) : '');
    managerSelect.addEventListener('change', () => {
      saveManager.disabled = managerSelect.value === current();
    });
    saveManager.addEventListener('click', async () => {
      const before = current();
      const value = managerSelect.value;
      if (value === before) return;
      tableMsgs.clear();
      managerSelect.disabled = true;
      saveManager.disabled = true;
      try {
        await call('set_manager', { person_id: p.id, manager_id: value ? Number(value) : null });
        const m = people.find((x) => String(x.id) === value);
        p.manager = m ? { id: m.id, name: m.name } : null;
        tableMsgs.showStatus(m
          ? t('people.managerSet', { name: p.name, manager: m.name })
          : t('people.managerRemoved', { name: p.name }));
        app.refreshMe();
      } catch (err) {
        managerSelect.value = before;
        tableMsgs.showError(err);
      } finally {
        managerSelect.disabled = false;
        saveManager.disabled = managerSelect.value === current();
        managerSelect.focus();
      }
    });

    const adminBox = el('input', {
      type: 'checkbox', 'data-testid': 'person-admin', 'aria-label': t('people.adminOf', { name: p.name }),
      props: { checked: !!p.is_admin },
    });
    adminBox.addEventListener('change', async () => {
      const wanted = adminBox.checked;
      tableMsgs.clear();
      adminBox.disabled = true;
      try {
        await call('set_admin', { person_id: p.id, is_admin: wanted });
        p.is_admin = wanted;
        tableMsgs.showStatus(wanted ? t('people.adminGranted', { name: p.name }) : t('people.adminRevoked', { name: p.name }));
        if (p.id === me.id) app.refreshMe();
      } catch (err) {
        adminBox.checked = !wanted;
        tableMsgs.showError(err);
      } finally {
        adminBox.disabled = false;
        adminBox.focus();
      }
    });

    // Anyone but oneself may be marked as having left, set up or not.
    let leftButton = null;
    if (p.id !== me.id) {
      leftButton = el('button', {
        type: 'button', class: 'btn btn-small', 'data-testid': 'person-left',
        'aria-label': t('people.leftFor', { name: p.name }), 'aria-expanded': 'false',
      }, t('people.left'));
      leftButton.addEventListener('click', () => openLeftPanel(p, tr, leftButton));
    }

    let statusCell;
    if (p.needs_setup) {
      const issue = el('button', {
        type: 'button', class: 'btn btn-small', 'data-testid': 'person-issue-code',
        'aria-label': t('people.issueCodeFor', { name: p.name }),
      }, t('people.issueCode'));
      issue.addEventListener('click', async () => {
        tableMsgs.clear();
        issue.disabled = true;
        try {
          const r = await call('issue_setup_code', { person_id: p.id });
          showCode(p.name, r.setup_code);
        } catch (err) {
          tableMsgs.showError(err);
        } finally {
          issue.disabled = false;
        }
      });
      statusCell = [badge(t('people.needsSetup'), 'warn'), ' ', issue, leftButton ? [' ', leftButton] : null];
    } else if (p.id !== me.id) {
      // Nobody resets their own passphrase here: they change it in Settings.
      const resetButton = el('button', {
        type: 'button', class: 'btn btn-small', 'data-testid': 'person-reset',
        'aria-label': t('people.resetFor', { name: p.name }), 'aria-expanded': 'false',
      }, t('people.reset'));
      resetButton.addEventListener('click', () => openResetPanel(p, tr, resetButton));
      statusCell = [badge(t('people.active'), 'ok'), ' ', resetButton, ' ', leftButton];
    } else {
      statusCell = badge(t('people.active'), 'ok');
    }

    const td = (label, ...children) => el('td', { 'data-label': label }, ...children);
    const tr = el('tr', { 'data-testid': 'person-row' },
      el('th', { scope: 'row', 'data-label': t('people.colName') },
        el('span', { 'data-testid': 'person-name' }, p.name),
        p.id === me.id ? [' ', el('span', { class: 'you' }, t('people.you'))] : null),
      td(t('people.colManager'), el('div', { class: 'manager-pick' }, managerSelect, saveManager)),
      td(t('people.colAdmin'), adminBox),
      td(t('people.colStatus'), statusCell));
    return tr;
  }

  /**
   * An inline confirmation under a person's row that says plainly what will
   * happen; one is open at a time. `onConfirm(msgs, close)` does the work.
   */
  function openConfirmPanel({ p, tr, button, id, testid, title, items, hint = null, confirmLabel, onConfirm }) {
    if (openReset && openReset.personId === p.id && openReset.id === id) { openReset.focus(); return; }
    if (openReset) openReset.close(false);
    tableMsgs.clear();
    const msgs = messages();
    const heading = el('h3', { tabindex: '-1', id: `h-${id}-${p.id}` }, title);
    const cancel = el('button', { type: 'button', class: 'btn', 'data-testid': `${testid}-cancel` }, t('common.cancel'));
    const confirm = el('button', { type: 'button', class: 'btn btn-danger', 'data-testid': `${testid}-confirm` }, confirmLabel);
    const panel = el('div', {
      class: 'confirm-panel', role: 'group', 'aria-labelledby': heading.id, 'data-testid': `${testid}-panel`,
    },
    heading,
    el('ul', { class: 'confirm-list' }, ...items.map((item) => el('li', {}, item))),
    hint ? el('p', { class: 'hint' }, hint) : null,
    el('div', { class: 'actions' }, confirm, cancel),
    ...msgs.nodes);
    const row = el('tr', { class: 'confirm-row' }, el('td', { colspan: '4' }, panel));
    tr.after(row);
    button.setAttribute('aria-expanded', 'true');

    function close(focusButton = true) {
      row.remove();
      button.setAttribute('aria-expanded', 'false');
      if (openReset && openReset.row === row) openReset = null;
      if (focusButton && button.isConnected) button.focus();
    }
    openReset = { personId: p.id, id, row, close, focus: () => heading.focus() };
    cancel.addEventListener('click', () => close());
    panel.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') { ev.preventDefault(); close(); } });
    confirm.addEventListener('click', async () => {
      msgs.clear();
      confirm.disabled = true;
      cancel.disabled = true;
      try {
        await onConfirm(close);
      } catch (err) {
        confirm.disabled = false;
        cancel.disabled = false;
        msgs.showError(err);
      }
    });
    heading.focus();
  }

  /** What a reset does, said plainly before it is done. */
  function openResetPanel(p, tr, button) {
    openConfirmPanel({
      p, tr, button, id: 'reset', testid: 'person-reset',
      title: t('people.resetTitle', { name: p.name }),
      items: [el('strong', {}, t('people.resetNotes', { name: p.name })),
        t('people.resetShared', { name: p.name }), t('people.resetCode', { name: p.name })],
      hint: t('people.resetRecoveryHint', { name: p.name }),
      confirmLabel: t('people.resetConfirm'),
      onConfirm: async (close) => {
        const r = await call('reset_passphrase', { person_id: p.id });
        close(false);
        try { people = await call('list_people'); } catch (_) { p.needs_setup = true; }
        drawTable();
        showCode(p.name, r.setup_code, 'people.resetCodeExplained');
      },
    });
  }

  /** Asks once, under the row, before marking someone as having left. */
  function openLeftPanel(p, tr, button) {
    openConfirmPanel({
      p, tr, button, id: 'left', testid: 'person-left',
      title: t('people.leftTitle', { name: p.name }),
      items: [t('people.leftGone', { name: p.name }), t('people.leftStays', { name: p.name }),
        t('people.leftBack', { name: p.name })],
      confirmLabel: t('people.leftConfirm', { name: p.name }),
      onConfirm: async (close) => {
        await call('mark_left', { person_id: p.id });
        close(false);
        people = await call('list_people');
        drawTable();
        tableMsgs.showStatus(t('people.leftDone', { name: p.name }));
        app.refreshMe();
      },
    });
  }

  function drawGone() {
    const gone = people.filter((p) => p.left);
    if (!gone.length) { replace(goneHost); return; }
    replace(goneHost, el('section', { class: 'section', 'aria-labelledby': 'h-people-gone' },
      el('h2', { id: 'h-people-gone' }, t('people.goneTitle')),
      el('p', { class: 'hint' }, t('people.goneHint')),
      el('ul', { class: 'plain-list' }, ...gone.map((p) => {
        const back = el('button', {
          type: 'button', class: 'btn btn-small', 'data-testid': 'person-returned',
          'aria-label': t('people.returnedFor', { name: p.name }),
        }, t('people.returned'));
        back.addEventListener('click', async () => {
          tableMsgs.clear();
          back.disabled = true;
          try {
            await call('mark_returned', { person_id: p.id });
            people = await call('list_people');
            drawTable();
            tableMsgs.showStatus(t('people.returnedDone', { name: p.name }));
          } catch (err) {
            back.disabled = false;
            tableMsgs.showError(err);
          }
        });
        if (p.deleted) {
          return el('li', { 'data-testid': 'person-gone' }, el('span', {}, p.name), ' ',
            badge(t('personDeletion.deleted'), 'muted'));
        }
        const li = el('li', { 'data-testid': 'person-gone' }, el('span', {}, p.name), ' ', back, ' ',
          deletionButton(p, {
            msgs: tableMsgs,
            onDone: async () => {
              people = await call('list_people');
              drawTable();
              tableMsgs.showStatus(t('personDeletion.done', { name: p.name }));
            },
          }));
        return li;
      }))));
  }

  function drawTable() {
    if (openReset) openReset.close(false);
    drawGone();
    if (!people.length) { replace(tableHost, emptyNote(t('people.empty'))); return; }
    replace(tableHost, el('table', { class: 'table' },
      el('caption', { class: 'visually-hidden' }, t('people.tableCaption')),
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col' }, t('people.colName')),
        el('th', { scope: 'col' }, t('people.colManager')),
        el('th', { scope: 'col' }, t('people.colAdmin')),
        el('th', { scope: 'col' }, t('people.colStatus')))),
      el('tbody', {}, ...here().map(row))));
  }

  // Add a person.
  const name = input({ 'data-testid': 'person-add-name', maxlength: '100' });
  const admin = el('input', { type: 'checkbox', 'data-testid': 'person-add-admin' });
  const manager = select(managerOptions(null), { 'data-testid': 'person-add-manager' }, '');
  const addForm = makeForm({
    key: 'person-add',
    onSubmit: async () => {
      const value = requireText(name, 'name');
      const r = await call('add_person', {
        name: value, is_admin: admin.checked, manager_id: manager.value ? Number(manager.value) : null,
      });
      name.value = '';
      admin.checked = false;
      people = await call('list_people');
      drawTable();
      replace(manager, ...managerOptions(null).map((o) => el('option', { value: o.value }, o.label)));
      manager.value = '';
      app.refreshMe();
      showCode(r.person.name, r.setup_code);
      return t('people.added', { name: r.person.name });
    },
    children: [
      field(t('people.addName'), name, { required: true }),
      field(t('people.addManager'), manager, { optional: true }),
      checkField(t('people.addAdmin'), admin, { hint: t('people.addAdminHint') }),
      el('div', { class: 'actions' },
        el('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'person-add-submit' }, t('people.addSubmit'))),
    ],
  });

  drawTable();
  return el('div', { class: 'page' },
    pageHeading(t('people.title')),
    el('p', { class: 'lead' }, t('people.intro')),
    codeHost,
    el('section', { class: 'section', 'aria-labelledby': 'h-people-list' },
      el('h2', { id: 'h-people-list', tabindex: '-1' }, t('people.listTitle')),
      ...tableMsgs.nodes,
      tableHost),
    goneHost,
    section(t('people.addTitle'), {}, el('p', { class: 'hint' }, t('people.addHint')), addForm));
}
