// The follow-up cycle's pieces of one dialogue: cancelling it (with an
// optional reason, kept in its history), the notices for a cancelled
// dialogue and one not marked held, and the gentle hint when a dialogue
// gathers many agreements.

import { el } from '../dom.js';
import { t, formatDateTime } from '../i18n.js';
import { call } from '../ipc.js';
import { field, makeForm, input } from '../ui.js';

/** More agreements than this in one dialogue earn a hint (never a block). */
export const MANY_AGREEMENTS = 3;

export function cycleNotices(view) {
  const out = [];
  const c = view.cancellation;
  if (c) {
    out.push(el('div', { class: 'notice', 'data-testid': 'dialogue-cancelled' },
      el('p', {}, c.damaged
        ? t('cycle.cancel.damaged')
        : t('cycle.cancel.cancelledBy', { name: c.by.name, date: formatDateTime(c.at) })),
      c.reason && !c.damaged
        ? el('p', {}, t('cycle.cancel.reasonLine'), ' ', el('q', { 'data-testid': 'cancel-reason' }, c.reason))
        : null));
  }
  if (view.not_marked_held) {
    out.push(el('p', { class: 'notice', 'data-testid': 'not-marked-held' },
      t(view.my_role === 'manager' ? 'cycle.notMarkedHeld.manager' : 'cycle.notMarkedHeld.other')));
  }
  return out;
}

export function manyAgreementsHint(view) {
  const n = (view.agreements || []).length;
  if (n <= MANY_AGREEMENTS) return null;
  return el('p', { class: 'hint', 'data-testid': 'agreements-many-hint' }, t('cycle.manyAgreements', { count: n }));
}

/** A disclosure with the reason field and the cancel button. */
export function cancelPart(view, { register, done }) {
  const reason = input({ 'data-testid': 'cancel-reason-input', maxlength: '2000' });
  const form = makeForm({
    key: 'cancel',
    onSubmit: async () => {
      const why = reason.value.trim();
      await call('cancel_dialogue', { dialogue_id: view.id, reason: why || null });
      await done(t('cycle.cancel.done'));
    },
    children: [
      field(t('cycle.cancel.reason'), reason, { hint: t('cycle.cancel.reasonHint'), optional: true }),
      el('div', { class: 'actions' },
        el('button', { type: 'submit', class: 'btn btn-danger', 'data-testid': 'cancel-submit' }, t('cycle.cancel.submit'))),
    ],
  });
  register('cancel', form.msgs);
  return el('details', { class: 'reschedule' },
    el('summary', { 'data-key': 'cancel-toggle', 'data-testid': 'cancel-toggle' }, t('cycle.cancel.toggle')), form);
}
