// Home: what is coming up, what waits for me, and the two-sided ledger of agreements.

import { el } from '../dom.js';
import { t } from '../i18n.js';
import { call } from '../ipc.js';
import { pageHeading, section, emptyNote } from '../ui.js';
import { dialogueBriefItem, agreementBriefItem, trustWarnings } from './common.js';

export async function render({ me }) {
  const data = await call('home');

  const dialogueList = (items, emptyKey) => (items && items.length
    ? el('ul', { class: 'brief-list' }, ...items.map((d) => dialogueBriefItem(d)))
    : emptyNote(t(emptyKey)));
  const agreementList = (items, emptyKey) => (items && items.length
    ? el('ul', { class: 'brief-list' }, ...items.map((a) => agreementBriefItem(a, me)))
    : emptyNote(t(emptyKey)));

  const actions = me.is_manager
    ? el('p', { class: 'page-actions' }, el('a', { href: '#/plan', class: 'btn btn-primary' }, t('home.planLink')))
    : null;

  return el('div', { class: 'page' },
    pageHeading(t('home.title', { name: me.name })),
    trustWarnings(me),
    el('p', { class: 'lead' }, t('home.intro')),
    actions,
    el('div', { class: 'home-grid' },
      section(t('home.upcoming'), { testid: 'home-upcoming' }, dialogueList(data.upcoming, 'home.upcomingEmpty')),
      section(t('home.toConfirm'), { testid: 'home-to-confirm' },
        el('p', { class: 'hint' }, t('home.toConfirmHint')),
        dialogueList(data.to_confirm, 'home.toConfirmEmpty')),
      section(t('home.responsibilities'), { testid: 'home-responsibilities' },
        el('p', { class: 'hint' }, t('home.responsibilitiesHint')),
        agreementList(data.my_responsibilities, 'home.responsibilitiesEmpty')),
      section(t('home.owed'), { testid: 'home-owed' },
        el('p', { class: 'hint' }, t('home.owedHint')),
        agreementList(data.owed_to_me, 'home.owedEmpty')),
      section(t('home.overdue'), { testid: 'home-overdue' }, agreementList(data.overdue, 'home.overdueEmpty')),
      section(t('home.dueSoon'), { testid: 'home-due' },
        el('p', { class: 'hint' }, t('home.dueSoonHint')),
        agreementList(data.due_soon, 'home.dueSoonEmpty'))));
}
