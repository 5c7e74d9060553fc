// Issue 8: a held or confirmed dialogue's summary, ready for the system's
// print dialog (the print stylesheet hides everything but the summary),
// or saved as a standalone HTML file by the shell. Also the calendar
// buttons used on the dialogue and home pages.

import { el } from '../dom.js';
import { t, getLocale, formatDate, formatDateTime } from '../i18n.js';
import { call } from '../ipc.js';
import {
  messages, actionButton, pageHeading, select, field, kindLabel, dialogueStateLabel, agreementStateLabel,
} from '../ui.js';

/** Where a dialogue's summary opens to be printed or saved. */
export function printHref(dialogueId, scope = null) {
  return `#/dialogue/${dialogueId}/print${scope ? `?scope=${scope}` : ''}`;
}

function saved(msgs, result) {
  if (result && result.path) msgs.showStatus(t('print.savedTo', { path: result.path }));
  else msgs.showStatus(t('print.notSaved'));
}

/**
 * "Add to calendar" with the note that no content goes into the file.
 * `command` and `args` name the shell command that builds and saves it.
 */
export function calendarPart({ label, testid, command, args = {} }) {
  const msgs = messages();
  return el('div', { class: 'calendar-export no-print', 'data-testid': `${testid}-part` },
    actionButton({
      label,
      testid,
      className: 'btn',
      msgs,
      onClick: async () => saved(msgs, await call(command, { ...args, locale: getLocale() })),
    }),
    el('p', { class: 'hint' }, t('print.calendarNoContent')),
    ...msgs.nodes);
}

function summaryDocument(doc) {
  const title = t('print.docTitle', {
    kind: kindLabel(doc.kind),
    counterpart: doc.counterpart,
    scope: t(`print.scope.${doc.scope}`),
  });
  const participants = el('ul', { class: 'print-participants', 'data-testid': 'print-participants' },
    ...doc.participants.map((p) => el('li', {},
      t('print.participant', { name: p.name, role: t(`roles.${p.role}`) }), ' – ',
      p.confirmed_version
        ? t('print.confirmedAt', { at: formatDateTime(p.confirmed_at), version: String(p.confirmed_version) })
        : t('print.notConfirmed'))));
  const agreements = doc.agreements.length
    ? el('ol', { class: 'print-agreements', 'data-testid': 'print-agreements' },
      ...doc.agreements.map((a) => el('li', { 'data-testid': 'print-agreement' },
        el('p', { class: 'print-text' }, a.damaged ? t('print.damaged') : a.text),
        el('dl', { class: 'facts' },
          el('div', {}, el('dt', {}, t('print.owner')), el('dd', {}, a.owner)),
          a.follow_up_on ? el('div', {}, el('dt', {}, t('print.followUp')), el('dd', {}, formatDate(a.follow_up_on))) : null,
          a.if_then && !a.damaged ? el('div', {}, el('dt', {}, t('print.ifThen')), el('dd', { class: 'print-text' }, a.if_then)) : null,
          el('div', {}, el('dt', {}, t('print.state')), el('dd', {}, agreementStateLabel(a.state)))))))
    : el('p', {}, t('print.noAgreements'));
  const notes = doc.scope === 'whole'
    ? [el('h2', {}, t('print.sharedNotes')),
      doc.notes.length
        ? el('ul', { class: 'print-notes', 'data-testid': 'print-notes' },
          ...doc.notes.map((n) => el('li', {},
            el('p', { class: 'print-text' }, n.damaged ? t('print.damaged') : n.text),
            el('p', { class: 'hint' }, t('print.noteBy', { name: n.author, at: formatDateTime(n.created_at) })))))
        : el('p', {}, t('print.noNotes'))]
    : [];
  return el('article', { class: 'print-doc', 'data-testid': 'print-doc' },
    el('h1', { tabindex: '-1', class: 'page-title', id: 'page-title' }, title),
    doc.state_damaged ? el('p', { class: 'notice', role: 'alert' }, t('dialogue.stateDamaged')) : null,
    el('dl', { class: 'facts' },
      el('div', {}, el('dt', {}, t('print.workplace')), el('dd', {}, doc.workplace)),
      el('div', {}, el('dt', {}, t('dialogue.when')), el('dd', {}, formatDateTime(doc.scheduled_at))),
      doc.held_at ? el('div', {}, el('dt', {}, t('dialogue.heldAt')), el('dd', {}, formatDateTime(doc.held_at))) : null,
      el('div', {}, el('dt', {}, t('print.state')), el('dd', {}, dialogueStateLabel(doc.state))),
      el('div', {}, el('dt', {}, t('print.version')), el('dd', {}, String(doc.summary_version)))),
    el('h2', {}, t('print.participants')), participants,
    el('h2', {}, t('print.agreements')), agreements,
    ...notes);
}

export async function render({ params, app }) {
  const dialogueId = params.id;
  const doc = await call('dialogue_summary', { dialogue_id: dialogueId, scope: params.scope || null });
  const msgs = messages();
  const scope = select([
    { value: 'agreements', label: t('print.scope.agreementsLong') },
    { value: 'whole', label: t('print.scope.wholeLong') },
  ], { 'data-testid': 'print-scope' }, doc.scope);
  scope.addEventListener('change', () => app.navigate(printHref(dialogueId, scope.value)));
  const toolbar = el('div', { class: 'print-toolbar no-print', 'data-testid': 'print-toolbar' },
    pageHeading(t('print.title')),
    el('p', { class: 'lead' }, t('print.intro')),
    field(t('print.scopeLabel'), scope),
    el('p', { class: 'hint' }, t(doc.kind === 'mus' ? 'print.scopeHintMus' : 'print.scopeHint')),
    el('div', { class: 'actions' },
      el('button', {
        type: 'button', class: 'btn btn-primary', 'data-testid': 'print-now',
        on: { click: () => window.print() },
      }, t('print.print')), ' ',
      actionButton({
        label: t('print.saveHtml'),
        testid: 'print-save-html',
        msgs,
        onClick: async () => saved(msgs, await call('save_summary', {
          dialogue_id: dialogueId, scope: doc.scope, locale: getLocale(),
        })),
      }), ' ',
      el('a', { href: `#/dialogue/${dialogueId}`, class: 'btn btn-quiet', 'data-testid': 'print-back' }, t('print.back'))),
    el('p', { class: 'hint' }, t('print.pdfHint')),
    ...msgs.nodes);
  return el('div', { class: 'page print-page', 'data-testid': 'print-view' }, toolbar, summaryDocument(doc));
}
