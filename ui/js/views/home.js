// Home: what is coming up, what waits for me, and the two-sided ledger of agreements.

import { el } from '../dom.js';
import { t } from '../i18n.js';
import { call } from '../ipc.js';
import { pageHeading, section, emptyNote } from '../ui.js';
import { dialogueBriefItem, agreementBriefItem, trustWarnings } from './common.js';
import { askForm, myRequestList, requestsToMe } from './requests.js';
import { calendarPart } from './print.js';
import { handoverPart, retentionDuePart } from './handover.js';

/** Each agreement once: overdue first, then due soon, then the two ledgers. */
export function onceEach(data) {
  const seen = new Set();
  const fresh = (list) => (list || []).filter((a) => !seen.has(a.id) && seen.add(a.id));
  const overdue = fresh(data.overdue);
  const dueSoon = fresh(data.due_soon);
  return { overdue, dueSoon, mine: fresh(data.my_responsibilities), owed: fresh(data.owed_to_me) };
}

/** An administrator who manages nobody yet is guided, not shown empty boxes. */
export function guided(me) {
  return Boolean(me && me.is_admin && !me.is_manager);
}

/** The first-hour guide: add colleagues, choose who manages whom, groups. */
function firstSteps(people) {
  const step = (label, hint, href, testid) => el('li', {},
    el('a', { href, class: 'btn btn-primary', 'data-testid': testid }, label),
    el('p', { class: 'hint' }, hint));
  const count = people.length;
  return section(t('firstHour.startTitle'), { testid: 'home-first-steps' },
    el('p', {}, t('firstHour.startIntro')),
    el('p', { class: 'hint', 'data-testid': 'home-people-count' },
      count <= 1 ? t('firstHour.peopleCountOne') : t('firstHour.peopleCount', { count })),
    el('ol', { class: 'first-steps' },
      step(t('firstHour.stepPeople'), t('firstHour.stepPeopleHint'), '#/people', 'home-step-people'),
      step(t('firstHour.stepManagers'), t('firstHour.stepManagersHint'), '#/people', 'home-step-managers'),
      step(t('firstHour.stepGroups'), t('firstHour.stepGroupsHint'), '#/groups', 'home-step-groups')));
}

export async function render({ me, app }) {
  const isGuided = guided(me);
  const [data, people] = await Promise.all([call('home'), isGuided ? call('list_people') : null]);
  const once = onceEach(data);

  const planNext = me.is_manager ? { href: '#/plan', label: t('firstHour.upcomingNext'), testid: 'home-plan-next' } : null;
  const dialogueList = (items, emptyKey, next = null) => (items && items.length
    ? el('ul', { class: 'brief-list' }, ...items.map((d) => dialogueBriefItem(d)))
    : emptyNote(t(emptyKey), next));
  const agreementList = (items, emptyKey, next = null) => (items && items.length
    ? el('ul', { class: 'brief-list' }, ...items.map((a) => agreementBriefItem(a, me)))
    : emptyNote(t(emptyKey), next));
  // A guided administrator sees only the boxes that hold something.
  const unlessEmpty = (items, node) => (isGuided && !(items && items.length) ? null : node);

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

  const agreementsNext = { text: t('firstHour.agreementsNext') };
  const upcomingNext = planNext || (data.can_request ? { text: t('firstHour.upcomingAsk') } : null);
  return el('div', { class: 'page' },
    pageHeading(t('home.title', { name: me.name })),
    trustWarnings(me),
    retentionDuePart(data.retention_due),
    el('p', { class: 'lead' }, t('home.intro')),
    actions,
    isGuided ? firstSteps(people || []) : null,
    el('div', { class: 'home-grid' },
      ...cycle,
      unlessEmpty(data.upcoming, section(t('home.upcoming'), { testid: 'home-upcoming' },
        dialogueList(data.upcoming, 'home.upcomingEmpty', upcomingNext),
        calendarPart({ label: t('print.allToCalendar'), testid: 'home-calendar', command: 'save_upcoming_calendar' }))),
      unlessEmpty(data.to_confirm, section(t('home.toConfirm'), { testid: 'home-to-confirm' },
        el('p', { class: 'hint' }, t('home.toConfirmHint')),
        dialogueList(data.to_confirm, 'home.toConfirmEmpty'))),
      unlessEmpty(once.mine, section(t('home.responsibilities'), { testid: 'home-responsibilities' },
        el('p', { class: 'hint' }, t('home.responsibilitiesHint')),
        agreementList(once.mine, 'home.responsibilitiesEmpty', agreementsNext))),
      unlessEmpty(once.owed, section(t('home.owed'), { testid: 'home-owed' },
        el('p', { class: 'hint' }, t(me.is_manager ? 'cycle.home.owedHintManager' : 'home.owedHint')),
        agreementList(once.owed, 'home.owedEmpty'))),
      unlessEmpty(once.overdue, section(t('home.overdue'), { testid: 'home-overdue' },
        agreementList(once.overdue, 'home.overdueEmpty'))),
      unlessEmpty(once.dueSoon, section(t('home.dueSoon'), { testid: 'home-due' },
        el('p', { class: 'hint' }, t('home.dueSoonHint')),
        agreementList(once.dueSoon, 'home.dueSoonEmpty')))));
}
