// Search over what I may read. The shell searches an index it built in memory
// after my sign-in; nothing of it is kept here between renders.

import { el } from '../dom.js';
import { t, formatDateTime, formatNumber } from '../i18n.js';
import { call } from '../ipc.js';
import { pageHeading, emptyNote, badge } from '../ui.js';

export const KINDS = ['agenda', 'note', 'private_note', 'agreement', 'comment'];
const EXCERPT = 320; // characters shown of a long text

/** Lower-cased words of the query, longest first (for marking matches). */
export function queryTerms(query) {
  return [...new Set(String(query || '').toLowerCase().split(/\s+/)
    .map((w) => w.replace(/^["'(*]+|["')*]+$/g, ''))
    .filter((w) => w.length > 0))].sort((a, b) => b.length - a.length);
}

/** A window of a long text around the first match, with ellipses where cut. */
export function excerpt(text, terms, max = EXCERPT) {
  const s = String(text || '');
  if (s.length <= max) return s;
  const lower = s.toLowerCase();
  let first = -1;
  for (const w of terms) {
    const i = lower.indexOf(w);
    if (i >= 0 && (first < 0 || i < first)) first = i;
  }
  let start = first < 0 ? 0 : Math.max(0, first - Math.floor(max / 3));
  let end = Math.min(s.length, start + max);
  start = Math.max(0, end - max);
  // Do not cut words in half when it is easy not to.
  if (start > 0) { const sp = s.indexOf(' ', start); if (sp > 0 && sp - start < 20) start = sp + 1; }
  if (end < s.length) { const sp = s.lastIndexOf(' ', end); if (sp > start && end - sp < 20) end = sp; }
  return `${start > 0 ? '… ' : ''}${s.slice(start, end)}${end < s.length ? ' …' : ''}`;
}

/** Text split into text nodes and <mark> elements for the matching words (never HTML). */
export function marked(text, terms) {
  const s = String(text || '');
  if (!terms.length) return [s];
  const lower = s.toLowerCase();
  const out = [];
  let pos = 0;
  while (pos < s.length) {
    let best = -1; let len = 0;
    for (const w of terms) {
      const i = lower.indexOf(w, pos);
      if (i >= 0 && (best < 0 || i < best || (i === best && w.length > len))) { best = i; len = w.length; }
    }
    if (best < 0) break;
    if (best > pos) out.push(s.slice(pos, best));
    out.push(el('mark', {}, s.slice(best, best + len)));
    pos = best + len;
  }
  if (pos < s.length) out.push(s.slice(pos));
  return out;
}

function resultItem(r, terms) {
  const kind = KINDS.includes(r.kind) ? r.kind : 'note';
  const href = `#/dialogue/${r.dialogue_id}`;
  const title = t('search.resultTitle', { counterpart: r.counterpart || '', date: formatDateTime(r.scheduled_at) });
  const li = el('li', { class: ['brief', 'search-result', kind === 'private_note' ? 'is-private' : null], 'data-testid': 'search-result' },
    el('p', { class: 'brief-meta search-result-head' },
      badge(t(`search.kind.${kind}`), kind === 'private_note' ? 'private' : 'neutral', { 'data-testid': 'search-result-kind' }),
      ' ',
      el('a', { href, class: 'brief-link', 'data-testid': 'search-result-link' }, title)),
    el('p', { class: 'search-result-text', 'data-testid': 'search-result-text' }, marked(excerpt(r.text, terms), terms)));
  // The whole row opens the dialogue (the link is what the keyboard reaches).
  li.addEventListener('click', (ev) => {
    if (ev.target.closest('a')) return;
    const sel = globalThis.getSelection ? globalThis.getSelection() : null;
    if (sel && String(sel).length > 0) return; // selecting text is not a click
    location.hash = href;
  });
  return li;
}

export async function render({ params }) {
  const query = (params && params.query) || '';
  const hint = el('p', { class: 'hint', 'data-testid': 'search-hint' }, t('search.hint'));
  if (!query) {
    return el('div', { class: 'page' },
      pageHeading(t('search.title')),
      el('p', { class: 'lead' }, t('search.intro')),
      hint);
  }
  const results = await call('search', { query });
  const terms = queryTerms(query);
  const list = Array.isArray(results) ? results : [];
  return el('div', { class: 'page' },
    pageHeading(t('search.titleFor', { query })),
    el('p', { class: 'lead', role: 'status', 'data-testid': 'search-count' }, list.length === 0
      ? t('search.none', { query })
      : countText(list.length)),
    list.length ? el('ol', { class: 'brief-list search-results' }, ...list.map((r) => resultItem(r, terms)))
      : emptyNote(t('search.noneHint')),
    hint);
}

/** Nothing is cached here, but the app calls this on lock all the same. */
export function reset() {}

/** The shell returns at most SEARCH_LIMIT results, best first. */
const SEARCH_LIMIT = 50;

function countText(n) {
  if (n === 1) return t('search.countOne');
  if (n >= SEARCH_LIMIT) return t('search.countTop', { count: formatNumber(n) });
  return t('search.countMany', { count: formatNumber(n) });
}
