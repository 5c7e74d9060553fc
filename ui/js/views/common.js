// Pieces several screens share.

import { el } from '../dom.js';
import { t, getLocale, LOCALES, formatDate, formatDateTime } from '../i18n.js';
import {
  field, select, badge, dialogueStateLabel, agreementStateLabel, kindLabel,
  DIALOGUE_STATE_VARIANT, AGREEMENT_STATE_VARIANT, uiError, todayIso,
} from '../ui.js';

export const MIN_PASSPHRASE = 8;

/** The language select (data-testid lang-select); onChange(locale) is awaited. */
export function languageField(onChange) {
  const s = select(LOCALES.map((l) => ({ value: l, label: t(`languages.${l}`) })),
    { 'data-testid': 'lang-select', id: 'lang-select' }, getLocale());
  s.addEventListener('change', () => onChange(s.value, s));
  return field(t('settings.language'), s);
}

/** Check a new passphrase and its repeat before calling the shell. */
export function checkNewPassphrase(input, repeat) {
  if (input.value.length < MIN_PASSPHRASE) throw uiError('weak_passphrase', { min: MIN_PASSPHRASE }, input);
  if (input.value !== repeat.value) throw uiError('passphrase_mismatch', {}, repeat);
}

export function requireText(input, fieldName) {
  if (!input.value.trim()) throw uiError('empty_text', { field: fieldName }, input);
  return input.value.trim();
}

export function passwordInput(testid, autocomplete = 'current-password') {
  return el('input', { type: 'password', 'data-testid': testid, autocomplete, spellcheck: 'false' });
}

/** A link to a dialogue from a DialogueBrief. */
export function dialogueBriefItem(d, { testid = 'dialogue-link' } = {}) {
  const title = t('dialogue.titleShort', { kind: kindLabel(d.kind), counterpart: d.counterpart });
  return el('li', { class: 'brief' },
    el('a', { href: `#/dialogue/${d.id}`, 'data-testid': testid, class: 'brief-link' }, title),
    el('span', { class: 'brief-meta' },
      el('span', {}, formatDateTime(d.scheduled_at)), ' ',
      dialogueStateBadge(d),
      d.needs_my_confirmation ? [' ', badge(t('home.needsYourConfirmation'), 'warn')] : null));
}

/** A dialogue's state as a badge; a planned one whose time has passed says so. */
export function dialogueStateBadge(d, attrs = {}) {
  return d.not_marked_held
    ? badge(t('cycle.state.notMarkedHeld'), 'warn', { 'data-testid': 'not-marked-held-badge', ...attrs })
    : badge(dialogueStateLabel(d.state), DIALOGUE_STATE_VARIANT[d.state], attrs);
}

/** Owner as text: a person's name, "(you)" for me, or "the group (name)". */
export function ownerText(owner, me) {
  if (!owner) return '';
  if (owner.kind === 'group') return t('agreement.ownerGroup', { name: owner.name });
  if (me && owner.id === me.id) return t('agreement.ownerYou', { name: owner.name });
  return owner.name;
}

export function isOverdue(a) {
  return Boolean(a.state === 'open' && a.follow_up_on && a.follow_up_on < todayIso());
}

/** The text of an item as stored, or a note that it failed its integrity check. */
export function itemText(item) {
  return item.damaged ? t('common.damaged', { id: item.id }) : item.text;
}

/** Warnings from sign-in: keys that changed, a roster that did not verify. */
export function trustWarnings(me) {
  const warnings = (me && me.trust_warnings) || [];
  if (!warnings.length) return null;
  return el('section', { class: 'notice notice-alert', role: 'alert', 'data-testid': 'trust-warnings' },
    el('h2', {}, t('trust.title')),
    el('ul', {}, ...warnings.map((w) => el('li', { 'data-testid': 'trust-warning', 'data-kind': w.kind },
      t(`trust.${w.kind}`, { name: w.name || '' })))));
}

/** An AgreementBrief line: text, owner, follow-up date, state, link to its dialogue. */
export function agreementBriefItem(a, me, { showLink = true } = {}) {
  // A locked agreement's key has not reached me yet: its text is "" and is not shown.
  const text = a.locked || a.damaged
    ? el('p', { class: 'brief-text brief-locked', 'data-testid': 'agreement-brief-text', 'data-locked': String(Boolean(a.locked)), 'data-damaged': String(Boolean(a.damaged)) },
      t(a.damaged ? 'agreement.damaged' : 'agreement.locked'))
    : el('p', { class: 'brief-text', 'data-testid': 'agreement-brief-text' }, a.text);
  return el('li', { class: 'brief agreement-brief', 'data-testid': 'agreement-brief' },
    text,
    el('p', { class: 'brief-meta' },
      badge(agreementStateLabel(a.state), AGREEMENT_STATE_VARIANT[a.state], { 'data-testid': 'agreement-brief-state' }),
      isOverdue(a) ? [' ', badge(t('agreement.overdue'), 'alert')] : null,
      ' ',
      el('span', {}, t('agreement.ownerLine', { owner: ownerText(a.owner, me) })),
      a.follow_up_on ? [' · ', el('span', {}, t('agreement.followUpLine', { date: formatDate(a.follow_up_on) }))] : null),
    showLink
      ? el('p', { class: 'brief-meta' }, el('a', { href: `#/dialogue/${a.dialogue_id}` },
        t('agreement.fromDialogue', { counterpart: a.counterpart, date: formatDate(a.dialogue_scheduled_at) })))
      : null);
}

/**
 * The read-only banner under the header, or null when the data can be written.
 * Here rather than with the unopenable screen: every screen shows it, and that
 * screen is fetched only when a file cannot be opened.
 */
export function readOnlyBanner(status) {
  const reason = status && status.read_only;
  if (!reason) return null;
  const path = status.data_file || '';
  return el('div', { class: 'notice', role: 'status', 'data-testid': 'read-only-banner', 'data-reason': reason },
    el('strong', {}, t('storage.readOnlyTitle')), ' ',
    reason === 'folder' ? t('storage.readOnlyFolder', { path }) : t('storage.readOnlyFile', { path }),
    ' ', t('storage.readOnlyWhatToDo'));
}
