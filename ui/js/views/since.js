// "Since last time": the agreements still open from earlier dialogues of the
// same relationship, each with what changed on it since and the same
// one-click update as in its own dialogue. The dialogue view supplies the
// pieces it shares (its history list and state form).

import { el } from '../dom.js';
import { t, formatDate } from '../i18n.js';
import { badge, emptyNote, kindLabel, agreementStateLabel, AGREEMENT_STATE_VARIANT } from '../ui.js';
import { ownerText, isOverdue, itemText } from './common.js';

/** Kinds whose dialogue starts from the plan so far, even when it is empty. */
const ALWAYS_SHOWN = new Set(['follow_up', 'mus', 'grus']);

/**
 * The section, or null when there is nothing open and the kind does not
 * start from the plan. `parts` gives { historyList(a), stateForm(a), section(key, title, ...children) }.
 */
export function sinceSection(view, me, parts) {
  const items = view.since_last_time || [];
  if (!items.length && !ALWAYS_SHOWN.has(view.kind)) return null;
  const list = items.map((a) => el('li', { class: ['item', 'agreement', `state-${a.state}`], 'data-testid': 'since-item' },
    el('p', { class: 'item-text', 'data-testid': 'since-item-text' }, itemText(a)),
    el('p', { class: 'item-meta' },
      badge(agreementStateLabel(a.state), AGREEMENT_STATE_VARIANT[a.state], { 'data-testid': 'since-item-state' }),
      isOverdue(a) ? [' ', badge(t('agreement.overdue'), 'alert')] : null, ' ',
      el('span', {}, t('agreement.ownerLine', { owner: ownerText(a.owner, me) })),
      a.follow_up_on ? [' · ', el('span', {}, t('agreement.followUpLine', { date: formatDate(a.follow_up_on) }))] : null),
    el('p', { class: 'item-meta' },
      el('a', { href: `#/dialogue/${a.dialogue_id}`, 'data-testid': 'since-item-origin' },
        t('cycle.since.from', { kind: kindLabel(a.dialogue_kind), date: formatDate(a.dialogue_scheduled_at) })),
      a.dialogue_state === 'cancelled' ? [' ', badge(t('cycle.state.cancelled'), 'muted')] : null),
    a.history && a.history.length
      ? parts.historyList(a)
      : el('p', { class: 'hint' }, t('cycle.since.noChanges')),
    a.can_update_state ? parts.stateForm(a) : null));
  return parts.section('since', t('cycle.since.title'),
    el('p', { class: 'hint' }, t('cycle.since.hint')),
    list.length ? el('ul', { class: 'item-list', 'data-testid': 'since-list' }, ...list) : emptyNote(t('cycle.since.empty')));
}
