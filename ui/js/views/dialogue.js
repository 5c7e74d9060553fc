// One dialogue: agenda, notes, agreements, summary and confirmation.
// After every successful action the dialogue is fetched again and redrawn;
// focus goes back to a sensible element (found by data-key).

import { el, replace, uid } from '../dom.js';
import { announce } from '../ui.js';
import { t, formatDate, formatDateTime, formatOrList } from '../i18n.js';
import { call } from '../ipc.js';
import {
  field, checkField, makeForm, messages, actionButton, badge, input, select, pageHeading, uiError,
  dialogueStateLabel, agreementStateLabel, kindLabel, emptyNote,
  DIALOGUE_STATE_VARIANT, AGREEMENT_STATE_VARIANT,
} from '../ui.js';
import { ownerText, isOverdue, requireText, itemText } from './common.js';
import { nextWorkingDay, toUtc } from './plan.js';
import { guidePart, preparationPart } from './preparation.js';
import { sinceSection } from './since.js';
import { cancelPart, cycleNotices, manyAgreementsHint } from './cancel.js';
import { printHref, calendarPart } from './print.js';

const AGREEMENT_STATES = ['open', 'done', 'renegotiated', 'dropped'];

function localDateTimeParts(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return { date: nextWorkingDay(), time: '09:00' };
  const p = (n) => String(n).padStart(2, '0');
  return { date: `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`, time: `${p(d.getHours())}:${p(d.getMinutes())}` };
}

export function counterpartName(view) {
  if (view.group) return view.group.name;
  if (view.my_role === 'manager' || view.my_role === 'successor') return view.employee ? view.employee.name : '';
  return view.manager ? view.manager.name : '';
}

/**
 * The dialogue's shared key has not reached me yet (e.g. after a passphrase
 * reset): explain calmly who can pass it on, instead of an error.
 */
export function keyPendingPage(err) {
  const raw = err && err.params ? err.params.names : '';
  const names = formatOrList(raw);
  return el('div', { class: 'page page-narrow', 'data-testid': 'dialogue-key-pending' },
    pageHeading(t('dialogue.keyPending.title')),
    el('p', { class: 'lead' }, names
      ? t('dialogue.keyPending.text', { names })
      : t('dialogue.keyPending.textNoNames')),
    el('p', {}, t('dialogue.keyPending.why')),
    el('p', {}, el('a', { href: '#/home' }, t('app.backHome'))));
}

export async function render({ me, params }) {
  const dialogueId = params.id;
  const root = el('div', { class: 'page dialogue', 'data-testid': 'dialogue-view' });
  let view;
  let prep = null;
  try {
    view = await call('get_dialogue', { dialogue_id: dialogueId });
    prep = await call('get_preparation', { dialogue_id: dialogueId });
  } catch (err) {
    if (err && err.code === 'key_pending') return keyPendingPage(err);
    throw err;
  }

  // UI-only state that survives a redraw.
  const editingNotes = new Set();
  const deletingNotes = new Set();
  const editingAgreements = new Set();
  let msgsByKey = {};
  let rescheduleOpen = false;
  // Issue 9: "held" is asked once; a removed agenda point can be brought back for a few seconds.
  let confirmingHeld = false;
  let undoAgenda = null; // { text, timer }

  const register = (key, msgs) => { msgsByKey[key] = msgs; return msgs; };

  function focusKey(key) {
    const target = key && root.querySelector(`[data-key="${key}"]`);
    if (!target) return false;
    const focusable = target.tagName === 'FORM'
      ? target.querySelector('input:not([type=checkbox]), textarea, select, button')
      : target;
    (focusable || target).focus();
    return true;
  }

  /** Fetch again, redraw, restore focus, and show a message under a key. */
  async function refresh({ focus = [], status = null, error = null } = {}) {
    view = await call('get_dialogue', { dialogue_id: dialogueId });
    prep = await call('get_preparation', { dialogue_id: dialogueId });
    draw();
    for (const k of [].concat(focus)) if (focusKey(k)) break;
    if (status && msgsByKey[status[0]]) msgsByKey[status[0]].showStatus(status[1]);
    if (error && msgsByKey[error[0]]) msgsByKey[error[0]].showError(error[1]);
  }

  function draw() {
    msgsByKey = {};
    replace(root,
      headerPart(),
      // The development plan travels: a dialogue opens with what is still
      // open from earlier ones, then this one's guide and preparation.
      sinceSection(view, me, { historyList, stateForm, section: sectionWithKey }),
      guidePart(prep, { open: view.state === 'planned' }),
      preparationPart({ prep, dialogueId, register, refresh, sectionWithKey, planned: view.state === 'planned' }),
      agendaPart(),
      notesPart(),
      agreementsPart(),
      summaryPart());
  }

  // ---- header -------------------------------------------------------------
  function headerPart() {
    const participants = view.participants.map((p) => t('dialogue.participant', { name: p.name, role: t(`roles.${p.role}`) }));
    const parts = [
      pageHeading(t('dialogue.title', { kind: kindLabel(view.kind), counterpart: counterpartName(view) })),
      el('dl', { class: 'facts' },
        el('div', {}, el('dt', {}, t('dialogue.when')), el('dd', {}, formatDateTime(view.scheduled_at))),
        el('div', {}, el('dt', {}, t('dialogue.stateLabel')), el('dd', {},
          badge(dialogueStateLabel(view.state), DIALOGUE_STATE_VARIANT[view.state], { 'data-testid': 'dialogue-state' }))),
        view.held_at ? el('div', {}, el('dt', {}, t('dialogue.heldAt')), el('dd', {}, formatDateTime(view.held_at))) : null,
        el('div', {}, el('dt', {}, t('dialogue.participants')), el('dd', {}, participants.join(', '))),
        el('div', {}, el('dt', {}, t('dialogue.yourRole')), el('dd', {}, t(`roles.${view.my_role}`)))),
    ];
    parts.push(...cycleNotices(view));
    if (view.state_damaged) {
      parts.push(el('p', { class: 'notice', role: 'alert', 'data-testid': 'state-damaged' }, t('dialogue.stateDamaged')));
    }
    if (view.kind === 'mus' || view.kind === 'grus') parts.push(el('p', { class: 'hint' }, t(`dialogue.kindHint.${view.kind}`)));
    if (view.can && view.can.confirm && view.state !== 'planned') {
      parts.push(el('p', { class: 'notice' }, t('dialogue.summary.waitingForYou'), ' ',
        el('button', {
          type: 'button', class: 'btn btn-small', 'data-testid': 'go-to-summary',
          on: { click: () => { const h = root.querySelector('#h-summary'); h.scrollIntoView(); h.focus(); } },
        }, t('dialogue.summary.goTo'))));
    }
    if (view.can && view.can.add_agreement) {
      // The agreement form is one step away from the top of the page.
      parts.push(el('p', { class: 'no-print' }, el('a', {
        href: '#new-agreement', class: 'btn btn-primary', 'data-testid': 'agreement-jump', 'aria-keyshortcuts': 'Alt+A',
        on: { click: (ev) => { ev.preventDefault(); jumpToAgreement(); } },
      }, t('access.addAgreement'))));
    }
    if (view.can && view.can.plan_edit) parts.push(rescheduleForm());
    // Issue 8: a new manager reads an earlier dialogue the employee shared.
    const successor = view.my_role === 'successor';
    if (successor) {
      parts.push(el('p', { class: 'notice', 'data-testid': 'dialogue-successor' },
        t('handover.readingAs', { employee: view.employee ? view.employee.name : '', old: view.manager.name })));
    }
    // Issue 7: a good example written from this dialogue.
    if (!successor) {
      parts.push(el('p', {}, el('a', { href: `#/cases?dialogue=${view.id}`, 'data-testid': 'dialogue-write-case' }, t('cases.fromThisDialogue'))));
    }
    // Issue 8: the summary to print or save, and the calendar.
    if (view.state === 'held' || view.state === 'confirmed') {
      parts.push(el('p', { class: 'no-print' }, el('a', {
        href: printHref(view.id), class: 'btn', 'data-testid': 'dialogue-print',
      }, t('print.open'))));
    }
    const followUps = view.agreements.some((a) => a.state === 'open' && a.follow_up_on);
    if (!successor && (view.state === 'planned' || followUps)) {
      parts.push(calendarPart({
        label: t('print.addToCalendar'),
        testid: 'dialogue-calendar',
        command: 'save_dialogue_calendar',
        args: { dialogue_id: view.id },
      }));
    }
    if (view.can && view.can.cancel) {
      parts.push(cancelPart(view, {
        register,
        done: (msg) => refresh({ focus: ['h-summary'], status: ['summary', msg] }),
      }));
    }
    return el('div', { class: 'dialogue-head' }, ...parts);
  }

  function rescheduleForm() {
    const cur = localDateTimeParts(view.scheduled_at);
    const date = el('input', { type: 'date', value: cur.date, 'data-testid': 'reschedule-date' });
    const time = el('input', { type: 'time', value: cur.time, 'data-testid': 'reschedule-time' });
    const form = makeForm({
      key: 'reschedule',
      onSubmit: async () => {
        const at = date.value && toUtc(date.value, time.value || '09:00');
        if (!at) throw uiError('invalid_date', { field: 'scheduled_at' }, date);
        await call('reschedule_dialogue', { dialogue_id: dialogueId, scheduled_at: at });
        await refresh({ focus: ['reschedule-toggle'], status: ['reschedule', t('dialogue.rescheduled')] });
      },
      children: [
        el('div', { class: 'field-row' }, field(t('plan.date'), date), field(t('plan.time'), time)),
        el('div', { class: 'actions' },
          el('button', { type: 'submit', class: 'btn', 'data-testid': 'reschedule-submit' }, t('dialogue.reschedule'))),
      ],
    });
    register('reschedule', form.msgs);
    const details = el('details', { class: 'reschedule', open: rescheduleOpen },
      el('summary', { 'data-key': 'reschedule-toggle' }, t('dialogue.rescheduleToggle')), form);
    details.addEventListener('toggle', () => { rescheduleOpen = details.open; });
    return details;
  }

  // ---- agenda -------------------------------------------------------------
  function agendaPart() {
    const msgs = register('agenda', messages());
    const items = view.agenda.map((item) => {
      const side = item.author_side === 'employee' ? t('dialogue.agenda.employeePoint') : t('dialogue.agenda.managerPoint');
      const toggle = actionButton({
        label: item.status === 'open' ? t('dialogue.agenda.markDiscussed') : t('dialogue.agenda.reopen'),
        key: `agenda-status-${item.id}`,
        testid: 'agenda-toggle',
        className: 'btn btn-small',
        msgs,
        attrs: { 'aria-label': t(item.status === 'open' ? 'access.markDiscussedNamed' : 'access.reopenNamed', { text: shortText(itemText(item)) }) },
        onClick: async () => {
          const status = item.status === 'open' ? 'discussed' : 'open';
          await call('set_agenda_status', { item_id: item.id, status });
          await refresh({
            focus: [`agenda-status-${item.id}`],
            status: ['agenda', status === 'discussed' ? t('dialogue.agenda.markedDiscussed') : t('dialogue.agenda.reopened')],
          });
        },
      });
      const remove = item.mine && item.status === 'open'
        ? actionButton({
          label: t('dialogue.agenda.remove'),
          key: `agenda-remove-${item.id}`,
          testid: 'agenda-remove',
          className: 'btn btn-quiet',
          msgs,
          attrs: { 'aria-label': t('dialogue.agenda.removeNamed', { text: item.text }) },
          onClick: async () => {
            await call('remove_agenda_item', { item_id: item.id });
            startUndo(item.text);
            await refresh({ focus: ['agenda-undo', 'agenda-form', 'h-agenda'] });
            announce(t('access.agendaRemoved', { text: shortText(item.text) }));
          },
        })
        : null;
      return el('li', { class: ['item', item.status === 'discussed' ? 'is-done' : ''], 'data-testid': 'agenda-item' },
        el('p', { class: 'item-text', 'data-testid': 'agenda-text' }, itemText(item)),
        el('p', { class: 'item-meta' },
          badge(item.status === 'open' ? t('dialogue.agenda.open') : t('dialogue.agenda.discussed'),
            item.status === 'open' ? 'info' : 'ok', { 'data-testid': 'agenda-status' }),
          ' ', badge(side, 'neutral'),
          item.carried_from ? [' ', badge(t('dialogue.agenda.carriedFrom', { date: formatDate(item.carried_from) }), 'muted', { 'data-testid': 'agenda-carried' })] : null,
          ' ', el('span', {}, t('dialogue.agenda.by', { name: item.author.name }))),
        el('div', { class: 'item-actions' }, toggle, remove));
    });

    let form = null;
    if (view.can && view.can.add_agenda) {
      const text = input({ 'data-testid': 'agenda-input', maxlength: '2000' });
      form = makeForm({
        key: 'agenda-form',
        className: 'form form-inline',
        onSubmit: async () => {
          const value = requireText(text, 'text');
          await call('add_agenda_item', { dialogue_id: dialogueId, text: value });
          await refresh({ focus: ['agenda-form'], status: ['agenda-form', t('dialogue.agenda.added')] });
        },
        children: [
          field(t('dialogue.agenda.new'), text, { hint: view.my_role === 'employee' ? t('dialogue.agenda.newHintEmployee') : null }),
          el('div', { class: 'actions' },
            el('button', { type: 'submit', class: 'btn', 'data-testid': 'agenda-add' }, t('dialogue.agenda.add'))),
        ],
      });
      register('agenda-form', form.msgs);
    }

    return sectionWithKey('agenda', t('dialogue.agenda.title'),
      el('p', { class: 'hint' }, t('dialogue.agenda.hint')),
      items.length ? el('ol', { class: 'item-list' }, ...items)
        : emptyNote(t('dialogue.agenda.empty'), form ? { text: t('firstHour.belowNext') } : null),
      undoPart(msgs),
      ...msgs.nodes,
      form);
  }

  // ---- notes --------------------------------------------------------------
  function notesPart() {
    const msgs = register('notes', messages());
    const items = view.notes.map((note) => {
      const label = note.private
        ? badge(t('dialogue.notes.privateLabel'), 'private', { 'data-testid': 'note-private-label' })
        : badge(t('dialogue.notes.sharedLabel'), 'neutral');
      const edited = note.updated_at && note.updated_at !== note.created_at;
      const meta = el('p', { class: 'item-meta' }, label, ' ',
        el('span', {}, t('dialogue.notes.by', { name: note.author.name, date: formatDateTime(note.created_at) })),
        edited ? [' ', el('span', {}, t('dialogue.notes.edited', { date: formatDateTime(note.updated_at) }))] : null);

      let body;
      if (editingNotes.has(note.id)) {
        body = noteEditForm(note);
      } else {
        const actions = [];
        if (note.mine && deletingNotes.has(note.id)) {
          actions.push(el('span', { class: 'confirm-q' }, t('dialogue.notes.deleteQuestion')), ' ',
            actionButton({
              label: t('dialogue.notes.deleteYes'), key: `note-delete-yes-${note.id}`, testid: 'note-delete-confirm',
              className: 'btn btn-danger', msgs,
              onClick: async () => {
                await call('delete_note', { note_id: note.id });
                deletingNotes.delete(note.id);
                await refresh({ focus: ['note-form', 'h-notes'], status: ['notes', t('dialogue.notes.deleted')] });
              },
            }), ' ',
            el('button', {
              type: 'button', class: 'btn btn-quiet', 'data-key': `note-delete-no-${note.id}`,
              on: { click: () => { deletingNotes.delete(note.id); draw(); focusKey(`note-delete-${note.id}`); } },
            }, t('common.cancel')));
        } else if (note.mine) {
          actions.push(
            el('button', {
              type: 'button', class: 'btn btn-quiet', 'data-key': `note-edit-${note.id}`, 'data-testid': 'note-edit',
              'aria-label': t('access.editNoteNamed', { text: shortText(itemText(note)) }),
              on: { click: () => { editingNotes.add(note.id); draw(); focusKey(`note-edit-form-${note.id}`); } },
            }, t('common.edit')), ' ',
            el('button', {
              type: 'button', class: 'btn btn-quiet', 'data-key': `note-delete-${note.id}`, 'data-testid': 'note-delete',
              'aria-label': t('access.deleteNoteNamed', { text: shortText(itemText(note)) }),
              on: { click: () => { deletingNotes.add(note.id); draw(); focusKey(`note-delete-no-${note.id}`); } },
            }, t('common.delete')));
        }
        body = [el('p', { class: 'item-text note-text', 'data-testid': 'note-text' }, itemText(note)),
          actions.length ? el('div', { class: 'item-actions' }, ...actions) : null];
      }
      return el('li', { class: ['item', 'note', note.private ? 'is-private' : ''], 'data-testid': 'note-item' }, meta, body);
    });

    let form = null;
    if (view.can && view.can.add_note) {
      const text = el('textarea', { 'data-testid': 'note-input', rows: '4', maxlength: '20000' });
      // Before the talk a note is private until its writer chooses to share it.
      const privateFirst = view.state === 'planned';
      const radio = uid('note-who');
      const priv = el('input', { type: 'radio', name: radio, value: 'private', 'data-testid': 'note-private', props: { checked: privateFirst } });
      const shared = el('input', { type: 'radio', name: radio, value: 'shared', 'data-testid': 'note-shared', props: { checked: !privateFirst } });
      form = makeForm({
        key: 'note-form',
        onSubmit: async () => {
          const value = requireText(text, 'text');
          await call('add_note', { dialogue_id: dialogueId, text: value, private: priv.checked });
          await refresh({
            focus: ['note-form'],
            status: ['note-form', priv.checked ? t('dialogue.notes.addedPrivate') : t('dialogue.notes.added')],
          });
        },
        children: [
          field(t('dialogue.notes.new'), text, { hint: t('common.ctrlEnterHint') }),
          el('fieldset', { class: 'fieldset note-who' },
            el('legend', {}, t('access.noteWho')),
            checkField(t('access.noteShared'), shared),
            checkField(t('access.notePrivate'), priv, {
              hint: privateFirst ? `${t('access.notePrivateFirst')} ${t('dialogue.notes.gdpr')}` : t('dialogue.notes.gdpr'),
            })),
          el('div', { class: 'actions' },
            el('button', { type: 'submit', class: 'btn', 'data-testid': 'note-add' }, t('dialogue.notes.add'))),
        ],
      });
      register('note-form', form.msgs);
    }

    return sectionWithKey('notes', t('dialogue.notes.title'),
      items.length ? el('ul', { class: 'item-list' }, ...items)
        : emptyNote(t('dialogue.notes.empty'), form ? { text: t('firstHour.belowNext') } : null),
      ...msgs.nodes,
      form);
  }

  function noteEditForm(note) {
    const text = el('textarea', { 'data-testid': 'note-edit-input', rows: '4', maxlength: '20000' });
    text.value = note.text;
    const form = makeForm({
      key: `note-edit-form-${note.id}`,
      onSubmit: async () => {
        const value = requireText(text, 'text');
        await call('update_note', { note_id: note.id, text: value });
        editingNotes.delete(note.id);
        await refresh({ focus: [`note-edit-${note.id}`], status: ['notes', t('dialogue.notes.saved')] });
      },
      children: [
        field(t('dialogue.notes.editLabel'), text, { hint: t('common.ctrlEnterHint') }),
        el('div', { class: 'actions' },
          el('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'note-save' }, t('common.save')), ' ',
          el('button', {
            type: 'button', class: 'btn btn-quiet',
            on: { click: () => { editingNotes.delete(note.id); draw(); focusKey(`note-edit-${note.id}`); } },
          }, t('common.cancel'))),
      ],
    });
    return form;
  }

  // ---- agreements ---------------------------------------------------------
  function ownerOptions() {
    return (view.owner_choices || []).map((o) => (o.kind === 'group'
      ? { value: 'group', label: t('agreement.ownerGroup', { name: o.name }) }
      : { value: String(o.id), label: ownerText(o, me) }));
  }

  function ownerValue(owner) {
    return owner.kind === 'group' ? 'group' : String(owner.id);
  }

  /** Fields shared by "add" and "edit"; testids differ so tests can tell them apart. */
  function agreementFields(prefix, initial = null) {
    const text = el('textarea', { 'data-testid': `${prefix}-text`, maxlength: '2000', rows: '3' });
    const ownerOpts = ownerOptions();
    if (initial && !ownerOpts.some((o) => o.value === ownerValue(initial.owner))) {
      ownerOpts.unshift({ value: ownerValue(initial.owner), label: ownerText(initial.owner, me) });
    }
    const owner = select(ownerOpts, { 'data-testid': `${prefix}-owner` });
    const followUp = el('input', { type: 'date', 'data-testid': `${prefix}-follow-up` });
    const ifThen = input({ 'data-testid': `${prefix}-if-then`, maxlength: '2000', placeholder: t('dialogue.agreements.ifThenPlaceholder') });
    if (initial) {
      text.value = initial.text;
      owner.value = ownerValue(initial.owner);
      followUp.value = initial.follow_up_on || '';
      ifThen.value = initial.if_then || '';
    } else {
      // Pre-set: the employee's own development, or the group's.
      const preset = view.group ? 'group' : view.employee ? String(view.employee.id) : null;
      if (preset && ownerOpts.some((o) => o.value === preset)) owner.value = preset;
    }
    const read = () => ({
      text: requireText(text, 'text'),
      owner_person_id: owner.value === 'group' || owner.value === '' ? null : Number(owner.value),
      follow_up_on: followUp.value || null,
      if_then: ifThen.value.trim() || null,
    });
    const nodes = [
      field(t('dialogue.agreements.text'), text, { hint: t('dialogue.agreements.textHint'), required: true }),
      el('div', { class: 'field-row' },
        field(t('dialogue.agreements.owner'), owner),
        field(t('dialogue.agreements.followUp'), followUp, { optional: true })),
      field(t('dialogue.agreements.ifThen'), ifThen, { hint: t('dialogue.agreements.ifThenHint'), optional: true }),
    ];
    return { nodes, read };
  }

  function historyList(a) {
    if (!a.history || !a.history.length) return null;
    return el('details', { class: 'history' },
      el('summary', {}, t('dialogue.agreements.history', { count: a.history.length })),
      el('ol', { class: 'history-list' }, ...a.history.map((h) => el('li', {},
        el('span', {}, h.from && h.from === h.to
          ? t('cycle.commentOnly', { date: formatDateTime(h.at), name: h.by.name })
          : h.from
          ? t('dialogue.agreements.historyChange', {
            date: formatDateTime(h.at), name: h.by.name, from: agreementStateLabel(h.from), to: agreementStateLabel(h.to),
          })
          : t('dialogue.agreements.historySet', { date: formatDateTime(h.at), name: h.by.name, to: agreementStateLabel(h.to) })),
        h.comment ? el('q', { class: 'history-comment' }, h.comment) : null))));
  }

  function stateForm(a) {
    const stateSelect = select(AGREEMENT_STATES.map((s) => ({ value: s, label: agreementStateLabel(s) })),
      { 'data-testid': 'agreement-state-select' }, a.state);
    const comment = input({ 'data-testid': 'agreement-comment', maxlength: '2000' });
    const key = `agreement-state-${a.id}`;
    const form = makeForm({
      key,
      className: 'form form-compact',
      label: t('dialogue.agreements.stateFormLabel', { text: a.text }),
      onSubmit: async () => {
        const c = comment.value.trim();
        if (stateSelect.value === a.state && !c) return t('dialogue.agreements.nothingChanged');
        await call('set_agreement_state', { agreement_id: a.id, state: stateSelect.value, comment: c || null });
        await refresh({ focus: [key], status: [key, t('dialogue.agreements.stateSaved')] });
      },
      children: [
        el('div', { class: 'field-row field-row-end' },
          field(t('dialogue.agreements.newState'), stateSelect),
          field(t('dialogue.agreements.comment'), comment, { optional: true }),
          el('div', { class: 'actions' },
            el('button', {
              type: 'submit', class: 'btn', 'data-testid': 'agreement-state-save',
              'aria-label': t('access.saveStateNamed', { text: shortText(itemText(a)), date: formatDate(a.created_at) }),
            }, t('dialogue.agreements.saveState')))),
      ],
    });
    register(key, form.msgs);
    return form;
  }

  function agreementEditForm(a) {
    const f = agreementFields('agreement-edit', a);
    const key = `agreement-edit-form-${a.id}`;
    const form = makeForm({
      key,
      onSubmit: async () => {
        const values = f.read();
        await call('edit_agreement', { agreement_id: a.id, ...values });
        editingAgreements.delete(a.id);
        await refresh({ focus: [`agreement-edit-${a.id}`], status: ['agreements', t('dialogue.agreements.saved')] });
      },
      children: [
        ...f.nodes,
        el('div', { class: 'actions' },
          el('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'agreement-edit-save' }, t('common.save')), ' ',
          el('button', {
            type: 'button', class: 'btn btn-quiet',
            on: { click: () => { editingAgreements.delete(a.id); draw(); focusKey(`agreement-edit-${a.id}`); } },
          }, t('common.cancel'))),
      ],
    });
    return form;
  }

  function agreementsPart() {
    const msgs = register('agreements', messages());
    const items = view.agreements.map((a) => {
      if (editingAgreements.has(a.id)) {
        return el('li', { class: 'item agreement', 'data-testid': 'agreement-item' }, agreementEditForm(a));
      }
      const facts = el('dl', { class: 'facts facts-compact' },
        el('div', {}, el('dt', {}, t('dialogue.agreements.owner')), el('dd', {}, ownerText(a.owner, me))),
        el('div', {}, el('dt', {}, t('dialogue.agreements.followUp')),
          el('dd', {}, a.follow_up_on ? formatDate(a.follow_up_on) : t('dialogue.agreements.noFollowUp'))),
        a.if_then ? el('div', {}, el('dt', {}, t('dialogue.agreements.ifThenShort')), el('dd', {}, a.if_then)) : null,
        el('div', {}, el('dt', {}, t('dialogue.agreements.createdBy')),
          el('dd', {}, t('dialogue.agreements.createdByLine', { name: a.created_by.name, date: formatDate(a.created_at) }))));
      return el('li', { class: ['item', 'agreement', `state-${a.state}`], 'data-testid': 'agreement-item' },
        el('p', { class: 'item-text', 'data-testid': 'agreement-item-text' }, itemText(a)),
        el('p', { class: 'item-meta' },
          badge(agreementStateLabel(a.state), AGREEMENT_STATE_VARIANT[a.state], { 'data-testid': 'agreement-state-label' }),
          isOverdue(a) ? [' ', badge(t('agreement.overdue'), 'alert')] : null),
        facts,
        historyList(a),
        a.can_update_state ? stateForm(a) : null,
        a.can_edit
          ? el('div', { class: 'item-actions' }, el('button', {
            type: 'button', class: 'btn btn-quiet', 'data-key': `agreement-edit-${a.id}`, 'data-testid': 'agreement-edit',
            'aria-label': t('access.editAgreementNamed', { text: shortText(itemText(a)) }),
            on: { click: () => { editingAgreements.add(a.id); draw(); focusKey(`agreement-edit-form-${a.id}`); } },
          }, t('dialogue.agreements.edit')))
          : null);
    });

    let form = null;
    if (view.can && view.can.add_agreement) {
      const f = agreementFields('agreement');
      form = makeForm({
        key: 'agreement-form',
        onSubmit: async () => {
          const values = f.read();
          await call('add_agreement', { dialogue_id: dialogueId, ...values });
          await refresh({ focus: ['agreement-form'], status: ['agreement-form', t('dialogue.agreements.added')] });
        },
        children: [
          el('h3', { id: 'new-agreement' }, t('dialogue.agreements.new')),
          ...f.nodes,
          el('div', { class: 'actions' },
            el('button', { type: 'submit', class: 'btn', 'data-testid': 'agreement-add' }, t('dialogue.agreements.add'))),
        ],
      });
      register('agreement-form', form.msgs);
    }

    return sectionWithKey('agreements', t('dialogue.agreements.title'),
      el('p', { class: 'hint' }, t('dialogue.agreements.hint')),
      manyAgreementsHint(view),
      items.length ? el('ul', { class: 'item-list' }, ...items) : emptyNote(t('dialogue.agreements.empty')),
      ...msgs.nodes,
      form);
  }

  // ---- summary and confirmation -------------------------------------------
  function summaryPart() {
    const msgs = register('summary', messages());
    const can = view.can || {};
    const lines = view.participants.map((p) => {
      let status;
      if (p.confirmed_version == null) status = t('dialogue.summary.notConfirmed');
      else if (p.confirmed_version === view.summary_version) status = t('dialogue.summary.confirmedAt', { date: formatDateTime(p.confirmed_at) });
      else status = t('dialogue.summary.confirmedEarlier', { date: formatDateTime(p.confirmed_at) });
      const ok = p.confirmed_version != null && p.confirmed_version === view.summary_version;
      return el('li', { 'data-testid': 'confirmation-status', class: 'confirmation' },
        el('strong', {}, t('dialogue.participant', { name: p.name, role: t(`roles.${p.role}`) })), ': ',
        badge(status, ok ? 'ok' : 'warn'));
    });

    let changes = null;
    const list = view.changes_since_my_confirmation;
    if (list && list.length) {
      changes = el('div', { class: 'notice', 'data-testid': 'changes-since-confirmation' },
        el('h3', {}, t(view.summary_tampered ? 'dialogue.summary.changedOutside' : 'dialogue.summary.changedSince')),
        el('ul', {}, ...list.map((c) => el('li', {}, t(`dialogue.summary.change.${c.what}.${c.change}`, { text: c.text })))));
    }

    const buttons = [];
    let heldQuestion = null;
    if (can.mark_held && confirmingHeld) {
      heldQuestion = el('div', { class: 'confirm-panel confirm-held', 'data-testid': 'mark-held-question' },
        el('p', { class: 'confirm-q' }, t('access.markHeldQuestion')),
        el('div', { class: 'actions' },
          actionButton({
            label: t('access.markHeldYes'), testid: 'mark-held-confirm', key: 'mark-held-confirm', className: 'btn btn-primary', msgs,
            onClick: async () => {
              await call('mark_held', { dialogue_id: dialogueId });
              confirmingHeld = false;
              await refresh({ focus: ['confirm-summary', 'h-summary'], status: ['summary', t('dialogue.summary.markedHeld')] });
            },
          }),
          el('button', {
            type: 'button', class: 'btn btn-quiet', 'data-testid': 'mark-held-cancel', 'data-key': 'mark-held-cancel',
            on: { click: () => { confirmingHeld = false; draw(); focusKey('mark-held'); } },
          }, t('access.markHeldNo'))));
    } else if (can.mark_held) {
      buttons.push(el('button', {
        type: 'button', class: 'btn btn-primary', 'data-testid': 'mark-held', 'data-key': 'mark-held',
        on: { click: () => { confirmingHeld = true; draw(); focusKey('mark-held-confirm'); } },
      }, t('dialogue.summary.markHeld')));
    }
    if (can.confirm) {
      buttons.push(actionButton({
        label: t('dialogue.summary.confirm'), testid: 'confirm-summary', key: 'confirm-summary', className: 'btn btn-primary', msgs,
        onClick: async () => {
          try {
            await call('confirm_summary', { dialogue_id: dialogueId, version: view.summary_version });
          } catch (err) {
            if (err.code === 'summary_changed') {
              await refresh({ focus: ['h-summary'], error: ['summary', err] });
              return;
            }
            throw err;
          }
          await refresh({ focus: ['h-summary'], status: ['summary', t('dialogue.summary.confirmed')] });
        },
      }));
    }

    let stateText;
    if (view.state === 'cancelled') stateText = t('cycle.cancel.summaryText');
    else if (view.state === 'planned') stateText = t('dialogue.summary.whenPlanned');
    else if (view.state === 'held') stateText = t('dialogue.summary.whenHeld');
    else stateText = t('dialogue.summary.whenConfirmed');

    return sectionWithKey('summary', t('dialogue.summary.title'),
      el('p', { class: 'hint' }, t('dialogue.summary.hint')),
      el('p', {}, stateText),
      view.my_confirmation
        ? el('p', {}, t('dialogue.summary.youConfirmed', { date: formatDateTime(view.my_confirmation.at) }))
        : null,
      changes,
      view.state === 'cancelled' ? null : el('ul', { class: 'confirmations' }, ...lines),
      buttons.length ? el('div', { class: 'actions' }, ...buttons) : null,
      heldQuestion,
      ...msgs.nodes);
  }

  // ---- issue 9: the agreement form at once, undo for a removed point -------
  function jumpToAgreement() {
    const box = root.querySelector('[data-testid="agreement-text"]');
    if (!box) return;
    box.scrollIntoView({ block: 'center' });
    box.focus();
  }

  function startUndo(text) {
    if (undoAgenda) clearTimeout(undoAgenda.timer);
    const entry = { text };
    entry.timer = setTimeout(() => {
      if (undoAgenda !== entry) return;
      undoAgenda = null;
      const node = root.querySelector('[data-testid="agenda-undo-panel"]');
      if (!node) return;
      const hadFocus = node.contains(document.activeElement);
      node.remove();
      if (hadFocus) focusKey('agenda-form') || focusKey('h-agenda');
    }, UNDO_MS);
    undoAgenda = entry;
  }

  function undoPart(msgs) {
    if (!undoAgenda || !(view.can && view.can.add_agenda)) return null;
    const entry = undoAgenda;
    return el('p', { class: 'msg msg-status undo', 'data-testid': 'agenda-undo-panel' },
      t('access.agendaRemoved', { text: shortText(entry.text) }), ' ',
      actionButton({
        label: t('access.undo'), testid: 'agenda-undo', key: 'agenda-undo', className: 'btn btn-small', msgs,
        attrs: { 'aria-label': t('access.undoNamed', { text: shortText(entry.text) }) },
        onClick: async () => {
          clearTimeout(entry.timer);
          undoAgenda = null;
          await call('add_agenda_item', { dialogue_id: dialogueId, text: entry.text });
          await refresh({ focus: ['agenda-form', 'h-agenda'], status: ['agenda', t('access.agendaRestored')] });
        },
      }));
  }

  function sectionWithKey(key, title, ...children) {
    return el('section', { class: 'section', 'aria-labelledby': `h-${key}` },
      el('h2', { id: `h-${key}`, tabindex: '-1', 'data-key': `h-${key}` }, title),
      ...children);
  }

  root.addEventListener('keydown', (ev) => {
    if (ev.target.closest && ev.target.closest('input, textarea, select')) return; // typing stays typing
    if (ev.altKey && !ev.ctrlKey && !ev.metaKey && (ev.key === 'a' || ev.key === 'A')) {
      ev.preventDefault();
      jumpToAgreement();
    }
  });
  draw();
  return root;
}

/** How long a removed agenda point can be brought back. */
const UNDO_MS = 8000;

/** An item's text, short enough for a button's name. */
function shortText(text) {
  const one = String(text || '').replace(/\s+/g, ' ').trim();
  return one.length > 60 ? `${one.slice(0, 57)}…` : one;
}
