// Relationship history: the people and groups I have dialogues with, and each one's story.

import { el } from '../dom.js';
import { t, formatDate, formatDateTime } from '../i18n.js';
import { call } from '../ipc.js';
import {
  pageHeading, emptyNote, badge, kindLabel,
} from '../ui.js';
import { agreementBriefItem, dialogueStateBadge } from './common.js';

export async function render({ me, params }) {
  if (params && params.kind) return renderOne(me, params);
  return renderList(me);
}

async function renderList(me) {
  const rels = await call('relationships');
  const items = rels.map((r) => {
    const target = r.person || r.group;
    const href = r.person ? `#/history/person/${r.person.id}` : `#/history/group/${r.group.id}`;
    return el('li', { class: 'brief' },
      el('a', { href, 'data-testid': 'relationship-link', class: 'brief-link' }, target.name),
      el('span', { class: 'brief-meta' },
        badge(t(`history.relation.${r.relation}`), 'neutral'), ' ',
        el('span', {}, r.last_dialogue_at
          ? t('history.lastDialogue', { date: formatDate(r.last_dialogue_at) })
          : t('history.noDialogueYet'))));
  });
  return el('div', { class: 'page' },
    pageHeading(t('history.title')),
    el('p', { class: 'lead' }, t('history.intro')),
    items.length ? el('ul', { class: 'brief-list' }, ...items) : emptyNote(t('history.empty'), me && me.is_admin
      ? { href: '#/people', label: t('firstHour.historyNextAdmin'), testid: 'history-next' }
      : { text: t('firstHour.historyNext') }));
}

async function renderOne(me, { kind, id }) {
  const data = await call('relationship_history', {
    person_id: kind === 'person' ? id : null,
    group_id: kind === 'group' ? id : null,
  });
  const dialogues = data.dialogues.map((d) => el('li', { class: 'history-dialogue', 'data-testid': 'history-dialogue' },
    el('h2', {}, el('a', { href: `#/dialogue/${d.id}`, 'data-testid': 'dialogue-link' },
      t('history.dialogueTitle', { kind: kindLabel(d.kind), date: formatDateTime(d.scheduled_at) }))),
    el('p', { class: 'item-meta' }, dialogueStateBadge(d)),
    d.agreements && d.agreements.length
      ? [el('h3', {}, t('history.agreements')),
        el('ul', { class: 'brief-list' }, ...d.agreements.map((a) => agreementBriefItem(a, me, { showLink: false })))]
      : el('p', { class: 'empty' }, t('history.noAgreements'))));
  return el('div', { class: 'page' },
    el('p', { class: 'breadcrumb' }, el('a', { href: '#/history' }, t('history.back'))),
    pageHeading(t('history.with', { name: data.counterpart.name })),
    dialogues.length ? el('ol', { class: 'history-dialogues' }, ...dialogues) : emptyNote(t('history.noDialogues')));
}
