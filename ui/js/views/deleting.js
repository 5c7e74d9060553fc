// People → those who left → "Delete data": what goes and what stays, with
// counts from the core, shown before anything is deleted.

import { el } from '../dom.js';
import { t, formatNumber } from '../i18n.js';
import { call } from '../ipc.js';
import { messages } from '../ui.js';

/** The lines that say what deleting a person removes, in words. */
export function deletionLines(plan) {
  const name = plan.name;
  const line = (key, count) => (count ? t(key, { name, count: formatNumber(count) }) : null);
  return [
    line('personDeletion.dialogues', plan.dialogues),
    line('personDeletion.privateNotes', plan.private_notes),
    line('personDeletion.answers', plan.answers),
    line('personDeletion.requests', plan.requests),
    line('personDeletion.cases', plan.cases),
    line('personDeletion.ruleReports', plan.rule_reports),
    t('personDeletion.keys', { name }),
  ].filter(Boolean);
}

/** A button that opens the preview under it; one confirmation deletes. */
export function deletionButton(p, { msgs: outer, onDone }) {
  const open = el('button', {
    type: 'button', class: 'btn btn-small', 'data-testid': 'person-delete',
    'aria-label': t('personDeletion.openFor', { name: p.name }), 'aria-expanded': 'false',
  }, t('personDeletion.open'));
  const host = el('div');
  const wrap = el('div', { class: 'gone-actions' }, open, host);
  let panel = null;

  function close() {
    if (panel) panel.remove();
    panel = null;
    open.setAttribute('aria-expanded', 'false');
    open.focus();
  }

  open.addEventListener('click', async () => {
    if (panel) { close(); return; }
    outer.clear();
    let plan;
    try {
      plan = await call('person_deletion_preview', { person_id: p.id });
    } catch (err) {
      outer.showError(err);
      return;
    }
    const msgs = messages();
    const heading = el('h3', { tabindex: '-1' }, t('personDeletion.title', { name: p.name }));
    const confirm = el('button', { type: 'button', class: 'btn btn-danger', 'data-testid': 'person-delete-confirm' },
      t('personDeletion.confirm', { name: p.name }));
    const cancel = el('button', { type: 'button', class: 'btn', 'data-testid': 'person-delete-cancel' }, t('common.cancel'));
    panel = el('div', { class: 'confirm-panel', role: 'group', 'aria-label': t('personDeletion.title', { name: p.name }), 'data-testid': 'person-delete-panel' },
      heading,
      el('ul', { class: 'confirm-list' }, ...deletionLines(plan).map((l) => el('li', {}, l))),
      plan.kept_dialogues ? el('p', {}, t('personDeletion.stays', { name: p.name, count: formatNumber(plan.kept_dialogues) })) : null,
      el('p', { class: 'hint' }, t('personDeletion.cannotUndo', { name: p.name })),
      el('div', { class: 'actions' }, confirm, cancel),
      ...msgs.nodes);
    host.append(panel);
    open.setAttribute('aria-expanded', 'true');
    cancel.addEventListener('click', close);
    panel.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') { ev.preventDefault(); close(); } });
    confirm.addEventListener('click', async () => {
      msgs.clear();
      confirm.disabled = true;
      cancel.disabled = true;
      try {
        await call('delete_person', { plan });
        panel = null;
        await onDone();
      } catch (err) {
        confirm.disabled = false;
        cancel.disabled = false;
        msgs.showError(err);
      }
    });
    heading.focus();
  });
  return wrap;
}
