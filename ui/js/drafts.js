// Unsaved text at the idle lock: gathered from the page just before the
// lock, handed to the shell (which seals it with the person's own key), and
// offered back after they sign in again, into the same field on the same
// screen.

import { el } from './dom.js';
import { t } from './i18n.js';

export const MAX_DRAFTS = 20;
const EXCERPT = 160;
// Fields that hold no one's words: search boxes, filters, dates and the like.
const SKIP_TYPES = new Set(['password', 'search', 'date', 'time', 'number', 'email', 'checkbox', 'radio', 'hidden', 'file']);

/** The fields under `root` with typed, unsaved text, as drafts for `route`. */
export function collectDrafts(root, route) {
  if (!root) return [];
  const seen = new Map();
  const out = [];
  for (const f of root.querySelectorAll('textarea, input')) {
    const id = f.getAttribute('data-testid');
    if (!id) continue;
    const index = seen.get(id) || 0;
    seen.set(id, index + 1);
    if (f.tagName === 'INPUT' && SKIP_TYPES.has((f.type || 'text').toLowerCase())) continue;
    if (f.hasAttribute('data-no-draft') || f.disabled || f.readOnly) continue;
    const text = f.value || '';
    if (!text.trim() || text === (f.defaultValue || '')) continue;
    out.push({ route, field: id, index, text });
    if (out.length >= MAX_DRAFTS) break;
  }
  return out;
}

/** Puts a draft's text back into its field under `root`; false if the field is not there. */
export function restoreDraft(root, draft) {
  if (!root) return false;
  const fields = [...root.querySelectorAll(`[data-testid="${cssEscape(draft.field)}"]`)]
    .filter((f) => f.tagName === 'TEXTAREA' || f.tagName === 'INPUT');
  const f = fields[draft.index] || (fields.length === 1 ? fields[0] : null);
  if (!f) return false;
  f.value = draft.text;
  f.dispatchEvent(new Event('input', { bubbles: true }));
  f.focus();
  return true;
}

function cssEscape(s) {
  return String(s).replace(/["\\]/g, '\\$&');
}

function excerpt(text) {
  const s = String(text).trim();
  return s.length > EXCERPT ? `${s.slice(0, EXCERPT)}…` : s;
}

/**
 * The notice after sign-in: each draft with "continue" and "discard".
 * `onRestore(draft)` goes back to the field; `onDiscard(draft)` forgets it.
 * A draft whose field is gone (`lost`) shows its whole text to copy.
 */
export function draftNotice(drafts, { onRestore, onDiscard }) {
  return el('section', { class: 'notice', 'data-testid': 'drafts-notice', 'aria-labelledby': 'h-drafts' },
    el('h2', { id: 'h-drafts' }, t('drafts.title')),
    el('p', {}, t('drafts.intro')),
    el('ul', { class: 'plain-list' }, ...drafts.map((d) => el('li', { 'data-testid': 'draft' },
      d.lost
        ? [el('p', {}, t('drafts.lost')),
          el('textarea', { readonly: true, rows: '4', 'data-no-draft': '', 'aria-label': t('drafts.lostLabel'), 'data-testid': 'draft-lost-text' }, d.text)]
        : el('blockquote', { class: 'draft-excerpt', 'data-testid': 'draft-excerpt' }, excerpt(d.text)),
      el('div', { class: 'actions' },
        d.lost ? null : el('button', {
          type: 'button', class: 'btn btn-primary', 'data-testid': 'draft-restore',
          'aria-label': t('drafts.restoreNamed', { text: excerpt(d.text).slice(0, 40) }),
          on: { click: () => onRestore(d) },
        }, t('drafts.restore')),
        el('button', {
          type: 'button', class: 'btn', 'data-testid': 'draft-discard',
          'aria-label': t('drafts.discardNamed', { text: excerpt(d.text).slice(0, 40) }),
          on: { click: () => onDiscard(d) },
        }, t('drafts.discard')))))));
}

/** The warning a minute before the idle lock. */
export function idleWarning(seconds) {
  return el('div', { class: 'notice idle-warning', 'data-testid': 'idle-warning' },
    t('drafts.warning', { seconds }));
}
