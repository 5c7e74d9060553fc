// The manager's overview: each employee and group, with plain facts and
// lists — the last dialogue held, the next planned, months since the last
// MUS (GRUS), open agreements on each side, overdue follow-ups and open
// requests. No scores, no grading colours, no ranking.

import { el } from '../dom.js';
import { t, formatDate } from '../i18n.js';
import { call } from '../ipc.js';
import { pageHeading, section, emptyNote, kindLabel } from '../ui.js';
import { agreementBriefItem } from './common.js';
import { planHref, requestsToMe } from './requests.js';
import { aboutEmployeeSection } from './export.js';

export async function render({ me, app, params }) {
  const order = params && params.order === 'longest' ? 'longest' : 'name';
  const data = await call('manager_overview', { order });
  const orderLinks = el('p', { class: 'page-actions', 'data-testid': 'overview-order' },
    t('cycle.overview.orderLabel'), ' ',
    order === 'name'
      ? el('strong', { 'aria-current': 'true' }, t('cycle.overview.byName'))
      : el('a', { href: '#/overview', 'data-testid': 'overview-by-name' }, t('cycle.overview.byName')),
    ' · ',
    order === 'longest'
      ? el('strong', { 'aria-current': 'true' }, t('cycle.overview.byLongest'))
      : el('a', { href: '#/overview?order=longest', 'data-testid': 'overview-by-longest' }, t('cycle.overview.byLongest')));

  const rows = data.rows.map((r) => row(r, me));
  return el('div', { class: 'page' },
    pageHeading(t('cycle.overview.title')),
    el('p', { class: 'lead' }, t('cycle.overview.intro')),
    orderLinks,
    section(t('cycle.request.toYouTitle'), { testid: 'overview-requests' },
      requestsToMe(data.requests, { onDone: () => app.navigate(location.hash) })),
    rows.length ? el('ul', { class: 'overview-list', 'data-testid': 'overview-rows' }, ...rows) : emptyNote(t('cycle.overview.empty'), me && me.is_admin
      ? { href: '#/people', label: t('firstHour.historyNextAdmin'), testid: 'overview-next' }
      : { text: t('firstHour.overviewNext') }),
    aboutEmployeeSection(data.rows.filter((r) => r.person).map((r) => r.person)));
}

function mark(m, emptyKey) {
  if (!m) return t(emptyKey);
  return el('a', { href: `#/dialogue/${m.id}` }, t('cycle.overview.dialogueLine', { kind: kindLabel(m.kind), date: formatDate(m.scheduled_at) }));
}

function fact(label, value, testid) {
  return el('div', {}, el('dt', {}, label), el('dd', { 'data-testid': testid }, value));
}

function list(title, items, me, testid) {
  if (!items.length) return null;
  return el('details', { class: 'history', 'data-testid': testid },
    el('summary', {}, t('cycle.overview.listTitle', { title, count: items.length })),
    el('ul', { class: 'brief-list' }, ...items.map((a) => agreementBriefItem(a, me))));
}

function row(r, me) {
  const who = r.person || r.group;
  const yearly = r.group ? 'grus' : 'mus';
  const months = r.months_since_yearly == null
    ? t(`cycle.overview.noYearly.${yearly}`)
    : t('cycle.overview.months', { count: r.months_since_yearly });
  const s = r.suggestion;
  const plan = el('a', {
    class: 'btn btn-small',
    'data-testid': 'overview-plan',
    href: planHref({ person: r.person ? r.person.id : null, group: r.group ? r.group.id : null, kind: s.kind, on: s.on }),
  }, t('cycle.overview.plan', { kind: kindLabel(s.kind) }));
  return el('li', { class: 'section overview-row', 'data-testid': 'overview-row', 'data-name': who.name },
    el('h2', {}, r.group ? t('cycle.overview.groupName', { name: who.name }) : who.name),
    el('dl', { class: 'facts facts-compact' },
      fact(t('cycle.overview.lastHeld'), mark(r.last_held, 'cycle.overview.noneHeld'), 'overview-last-held'),
      fact(t('cycle.overview.nextPlanned'), mark(r.next_planned, 'cycle.overview.nonePlanned'), 'overview-next'),
      r.not_marked_held.length
        ? fact(t('cycle.state.notMarkedHeld'), el('span', {}, ...r.not_marked_held.map((m, i) => [i ? ', ' : '', mark(m)])), 'overview-not-held')
        : null,
      fact(t(`cycle.overview.sinceYearly.${yearly}`), months, 'overview-months'),
      fact(t('cycle.overview.openTheirs'), String(r.open_theirs.length), 'overview-open-theirs'),
      fact(t('cycle.overview.openMine'), String(r.open_mine.length), 'overview-open-mine'),
      fact(t('cycle.overview.overdue'), String(r.overdue.length), 'overview-overdue'),
      r.person ? fact(t('cycle.overview.requests'), String(r.open_requests), 'overview-requests-count') : null),
    list(t('cycle.overview.openTheirs'), r.open_theirs, me, 'overview-list-theirs'),
    list(t('cycle.overview.openMine'), r.open_mine, me, 'overview-list-mine'),
    list(t('cycle.overview.overdue'), r.overdue, me, 'overview-list-overdue'),
    el('p', { class: 'item-actions' }, plan, ' ',
      el('span', { class: 'hint' }, s.on
        ? t('cycle.overview.suggestedOn', { kind: kindLabel(s.kind), date: formatDate(s.on) })
        : t(`cycle.overview.suggested.${s.kind === 'follow_up' ? 'follow_up' : 'yearly'}`, { kind: kindLabel(s.kind) }))));
}
