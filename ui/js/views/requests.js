// Requests for a dialogue: the employee's form and list, and the
// manager's list with "plan from it" and a short answer.

import { el } from '../dom.js';
import { t, formatDate } from '../i18n.js';
import { call } from '../ipc.js';
import { field, makeForm, input, select, badge, kindLabel, emptyNote } from '../ui.js';

/** Kinds an employee can ask their manager for (a GRUS is the group's). */
export const REQUEST_KINDS = ['follow_up', 'mus', 'wellbeing', 'ad_hoc'];

/** The plan form, filled in from a request (or an overview suggestion). */
export function planHref({ person = null, group = null, kind = null, on = null, request = null }) {
  const q = new URLSearchParams();
  if (person != null) q.set('person', String(person));
  if (group != null) q.set('group', String(group));
  if (kind) q.set('kind', kind);
  if (on) q.set('date', on);
  if (request != null) q.set('request', String(request));
  return `#/plan?${q.toString()}`;
}

function kindText(kind) {
  const label = kindLabel(kind);
  return label && !label.startsWith('kinds.') ? label : t(`cycle.kinds.${kind}`);
}

/** A disclosure where I ask my manager for a dialogue. */
export function askForm({ onDone }) {
  const kind = select(REQUEST_KINDS.map((k) => ({ value: k, label: kindText(k) })), { 'data-testid': 'request-kind' }, 'follow_up');
  const reason = input({ 'data-testid': 'request-reason', maxlength: '2000' });
  const form = makeForm({
    key: 'request-form',
    onSubmit: async () => {
      await call('request_dialogue', { kind: kind.value, reason: reason.value.trim() || null });
      await onDone(t('cycle.request.sent'));
    },
    children: [
      field(t('cycle.request.kind'), kind),
      field(t('cycle.request.reason'), reason, { hint: t('cycle.request.reasonHint'), optional: true }),
      el('div', { class: 'actions' },
        el('button', { type: 'submit', class: 'btn', 'data-testid': 'request-submit' }, t('cycle.request.submit'))),
    ],
  });
  return el('details', { class: 'reschedule', 'data-testid': 'request-details' },
    el('summary', { 'data-testid': 'request-toggle' }, t('cycle.request.toggle')), form);
}

/** My own requests and how each was closed. */
export function myRequestList(requests) {
  if (!requests || !requests.length) return null;
  return el('ul', { class: 'brief-list', 'data-testid': 'my-requests' }, ...requests.map((r) => el('li', { class: 'brief', 'data-testid': 'my-request' },
    el('p', { class: 'brief-text' }, t('cycle.request.mine', { kind: kindText(r.kind), date: formatDate(r.created_at) })),
    r.reason ? el('p', { class: 'brief-meta' }, el('q', {}, r.reason)) : null,
    el('p', { class: 'brief-meta' },
      badge(t(`cycle.request.status.${r.status}`), r.status === 'open' ? 'info' : 'neutral', { 'data-testid': 'my-request-status' }),
      r.dialogue_id ? [' ', el('a', { href: `#/dialogue/${r.dialogue_id}` }, t('cycle.request.toDialogue'))] : null),
    r.answer ? el('p', { class: 'brief-meta' }, t('cycle.request.answerLine'), ' ', el('q', { 'data-testid': 'my-request-answer' }, r.answer)) : null)));
}

/** Open requests to me, each with "plan" and a short answer. */
export function requestsToMe(requests, { onDone }) {
  if (!requests || !requests.length) return emptyNote(t('cycle.request.noneToYou'));
  return el('ul', { class: 'brief-list', 'data-testid': 'requests-to-me' }, ...requests.map((r) => {
    const answer = input({ 'data-testid': 'request-answer-input', maxlength: '2000' });
    const form = makeForm({
      key: `request-answer-${r.id}`,
      className: 'form form-compact',
      onSubmit: async () => {
        await call('answer_request', { request_id: r.id, answer: answer.value });
        await onDone(t('cycle.request.answered'));
      },
      children: [
        el('div', { class: 'field-row field-row-end' },
          field(t('cycle.request.answer'), answer, { required: true }),
          el('div', { class: 'actions' },
            el('button', {
              type: 'submit', class: 'btn', 'data-testid': 'request-answer-submit',
              'aria-label': t('access.namedPerson', { action: t('cycle.request.answerSubmit'), name: r.employee.name }),
            }, t('cycle.request.answerSubmit')))),
      ],
    });
    return el('li', { class: 'brief', 'data-testid': 'request-to-me' },
      el('p', { class: 'brief-text' }, t('cycle.request.fromLine', { name: r.employee.name, kind: kindText(r.kind), date: formatDate(r.created_at) })),
      r.locked ? el('p', { class: 'brief-meta' }, t('agreement.locked')) : null,
      r.damaged ? el('p', { class: 'brief-meta' }, t('cycle.request.damaged')) : null,
      r.reason ? el('p', { class: 'brief-meta' }, el('q', { 'data-testid': 'request-reason-text' }, r.reason)) : null,
      r.can_answer
        ? [el('p', { class: 'brief-meta' }, el('a', {
          href: planHref({ person: r.employee.id, kind: r.kind, request: r.id }),
          class: 'btn btn-small', 'data-testid': 'request-plan',
        }, t('cycle.request.plan'))), form]
        : null);
  }));
}
