// Home: what is coming up, what waits for me, and the two-sided ledger of agreements.

import { el } from '../dom.js';
import { t } from '../i18n.js';
import { call } from '../ipc.js';
import { pageHeading, section, emptyNote } from '../ui.js';
import { dialogueBriefItem, agreementBriefItem, trustWarnings } from './common.js';
import { askForm, myRequestList, requestsToMe } from './requests.js';
import { calendarPart } from './print.js';
import { handoverPart, retentionDuePart } from './handover.js';

export async function render({ me, app }) {
  const data = await call('home');

  const dialogueList = (items, emptyKey) => (items && items.length
    ? el('ul', { class: 'brief-list' }, ...items.map((d) => dialogueBriefItem(d)))
    : emptyNote(t(emptyKey)));
  const agreementList = (items, emptyKey) => (items && items.length
    ? el('ul', { class: 'brief-list' }, ...items.map((a) => agreementBriefItem(a, me)))
    : emptyNote(t(emptyKey)));

  const actions = me.is_manager
    ? el('p', { class: 'page-actions' }, el('a', { href: '#/plan', class: 'btn btn-primary' }, t('home.planLink')), ' ',
      el('a', { href: '#/overview', class: 'btn', 'data-testid': 'home-overview-link' }, t('cycle.overview.title')))
    : null;
  const again = () => app.navigate('#/home');
  // The follow-up cycle: requests both ways, and dialogues not marked held.
  const cycle = [
    ...(handoverPart(data.handovers) || []),
    data.not_marked_held && data.not_marked_held.length
      ? section(t('cycle.home.notMarkedHeld'), { testid: 'home-not-marked-held' },
        el('p', { class: 'hint' }, t('cycle.home.notMarkedHeldHint')),
        dialogueList(data.not_marked_held, 'home.upcomingEmpty'))
      : null,
    data.requests_to_me && data.requests_to_me.length
      ? section(t('cycle.request.toYouTitle'), { testid: 'home-requests' }, requestsToMe(data.requests_to_me, { onDone: again }))
      : null,
    data.can_request || (data.my_requests && data.my_requests.length)
      ? section(t('cycle.request.mineTitle'), { testid: 'home-my-requests' },
        el('p', { class: 'hint' }, t('cycle.request.mineHint')),
        myRequestList(data.my_requests),
        data.can_request ? askForm({ onDone: again }) : null)
      : null,
  ];

  return el('div', { class: 'page' },
    pageHeading(t('home.title', { name: me.name })),
    trustWarnings(me),
    retentionDuePart(data.retention_due),
    el('p', { class: 'lead' }, t('home.intro')),
    actions,
    el('div', { class: 'home-grid' },
      ...cycle,
      section(t('home.upcoming'), { testid: 'home-upcoming' }, dialogueList(data.upcoming, 'home.upcomingEmpty'),
        calendarPart({ label: t('print.allToCalendar'), testid: 'home-calendar', command: 'save_upcoming_calendar' })),
      section(t('home.toConfirm'), { testid: 'home-to-confirm' },
        el('p', { class: 'hint' }, t('home.toConfirmHint')),
        dialogueList(data.to_confirm, 'home.toConfirmEmpty')),
      section(t('home.responsibilities'), { testid: 'home-responsibilities' },
        el('p', { class: 'hint' }, t('home.responsibilitiesHint')),
        agreementList(data.my_responsibilities, 'home.responsibilitiesEmpty')),
      section(t('home.owed'), { testid: 'home-owed' },
        el('p', { class: 'hint' }, t(me.is_manager ? 'cycle.home.owedHintManager' : 'home.owedHint')),
        agreementList(data.owed_to_me, 'home.owedEmpty')),
      section(t('home.overdue'), { testid: 'home-overdue' }, agreementList(data.overdue, 'home.overdueEmpty')),
      section(t('home.dueSoon'), { testid: 'home-due' },
        el('p', { class: 'hint' }, t('home.dueSoonHint')),
        agreementList(data.due_soon, 'home.dueSoonEmpty'))));
}
