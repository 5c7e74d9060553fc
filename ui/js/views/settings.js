// Settings: my language, my passphrase, my recovery code; for administrators
// the idle lock. And what is encrypted and what is not.

import { el, replace } from '../dom.js';
import { t, formatNumber } from '../i18n.js';
import { call } from '../ipc.js';
import { field, makeForm, messages, pageHeading, section, actionButton, uiError } from '../ui.js';
import { languageField, checkNewPassphrase, passwordInput } from './common.js';
import { backupsSection } from './backups.js';
import { retentionSection } from './retention.js';
import { myDataSection } from './export.js';

export const IDLE_MIN_MINUTES = 1;
export const IDLE_MAX_MINUTES = 240;

/** Parse the minutes field: a whole number 1–240, else null. */
export function parseIdleMinutes(value) {
  const s = String(value ?? '').trim();
  if (!/^\d{1,3}$/.test(s)) return null;
  const n = Number(s);
  return n >= IDLE_MIN_MINUTES && n <= IDLE_MAX_MINUTES ? n : null;
}

function idleMinutesText(seconds) {
  const minutes = Math.max(1, Math.round(seconds / 60));
  return minutes === 1 ? t('settings.idleCurrentOne') : t('settings.idleCurrent', { minutes: formatNumber(minutes) });
}

/** The recovery code section: whether I have one, make a new one, show it once. */
function recoverySection(me, app) {
  let hasCode = Boolean(me.has_recovery_code);
  const msgs = messages();
  const stateLine = el('p', { 'data-testid': 'recovery-state' });
  const codeHost = el('div', { class: 'recovery-code-host' });
  const create = actionButton({
    label: '',
    testid: 'recovery-create',
    className: 'btn btn-primary',
    msgs,
    onClick: async () => {
      const r = await call('create_recovery_code');
      hasCode = true;
      drawState();
      showCode(r.recovery_code);
      app.refreshMe(); // Me.has_recovery_code is now true
    },
  });

  function drawState() {
    stateLine.textContent = hasCode ? t('settings.recoveryHas') : t('settings.recoveryNone');
    create.textContent = hasCode ? t('settings.recoveryCreateNew') : t('settings.recoveryCreate');
  }

  function showCode(code) {
    const heading = el('h3', { tabindex: '-1' }, t('settings.recoveryCodeTitle'));
    const print = el('button', { type: 'button', class: 'btn', 'data-testid': 'recovery-print' }, t('settings.recoveryPrint'));
    print.addEventListener('click', () => { if (typeof window.print === 'function') window.print(); });
    const done = el('button', { type: 'button', class: 'btn', 'data-testid': 'recovery-done' }, t('settings.recoveryDone'));
    done.addEventListener('click', () => {
      replace(codeHost);
      create.focus();
    });
    replace(codeHost, el('div', {
      class: 'setup-code-panel recovery-panel print-only-this', role: 'region', 'aria-label': t('settings.recoveryCodeTitle'),
    },
    heading,
    el('p', { class: 'print-heading' }, t('settings.recoveryPrintHeading', { name: me.name })),
    el('p', { class: 'setup-code recovery-code', 'data-testid': 'recovery-code' }, code),
    el('p', {}, t('settings.recoveryKeepSafe')),
    el('p', {}, t('settings.recoveryReplaces')),
    el('p', { class: 'hint no-print' }, t('settings.recoveryOnce')),
    el('div', { class: 'actions no-print' }, print, done)));
    heading.focus();
  }

  drawState();
  return section(t('settings.recoveryTitle'), { testid: 'settings-recovery' },
    el('p', { class: 'hint' }, t('settings.recoveryHint')),
    stateLine,
    el('div', { class: 'actions' }, create),
    ...msgs.nodes,
    codeHost);
}

/** Administrators: how long without activity before Tillid locks. */
function idleSection(app) {
  const seconds = app.idleSeconds;
  const current = el('p', { 'data-testid': 'idle-lock-current' }, idleMinutesText(seconds));
  const minutes = el('input', {
    type: 'number', inputmode: 'numeric', min: String(IDLE_MIN_MINUTES), max: String(IDLE_MAX_MINUTES), step: '1',
    class: 'input-short', 'data-testid': 'idle-lock-minutes', props: { value: String(Math.max(1, Math.round(seconds / 60))) },
  });
  const form = makeForm({
    key: 'idle-lock',
    onSubmit: async () => {
      const n = parseIdleMinutes(minutes.value);
      if (n === null) throw uiError('invalid_input', { field: 'minutes' }, minutes);
      await call('set_idle_lock', { minutes: n });
      app.setIdleSeconds(n * 60);
      current.textContent = idleMinutesText(n * 60);
      app.refreshMe();
      return t('settings.idleSaved', { minutes: formatNumber(n) });
    },
    children: [
      field(t('settings.idleMinutes'), minutes, { hint: t('settings.idleMinutesHint', { min: IDLE_MIN_MINUTES, max: IDLE_MAX_MINUTES }), required: true }),
      el('div', { class: 'actions' },
        el('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'idle-lock-save' }, t('settings.idleSave'))),
    ],
  });
  return section(t('settings.idleTitle'), { testid: 'settings-idle' },
    el('p', { class: 'hint' }, t('settings.idleHint')),
    current,
    form);
}

export function render({ me, app }) {
  const langMsgs = messages();
  const lang = languageField(async (locale, selectEl) => {
    selectEl.disabled = true;
    try {
      const updated = await call('set_my_locale', { locale });
      await app.setMe(updated, { focusSelector: '#lang-select' });
      // The page was drawn again in the new language: say so there.
      const status = document.querySelector('[data-key="lang-status"] [role="status"]');
      if (status) status.textContent = t('settings.languageSaved');
    } catch (err) {
      selectEl.disabled = false;
      selectEl.value = me.locale || selectEl.value;
      langMsgs.showError(err);
    }
  });

  const current = passwordInput('settings-current-passphrase', 'current-password');
  const pass = passwordInput('settings-new-passphrase', 'new-password');
  const repeat = passwordInput('settings-new-passphrase-repeat', 'new-password');
  const passForm = makeForm({
    key: 'passphrase',
    onSubmit: async () => {
      checkNewPassphrase(pass, repeat);
      await call('change_passphrase', { current: current.value, passphrase: pass.value });
      current.value = '';
      pass.value = '';
      repeat.value = '';
      return t('settings.passphraseChanged');
    },
    children: [
      field(t('settings.currentPassphrase'), current, { required: true }),
      field(t('settings.newPassphrase'), pass, { hint: t('setup.passphraseHint', { min: 8 }), required: true }),
      field(t('settings.newPassphraseRepeat'), repeat, { required: true }),
      el('div', { class: 'actions' },
        el('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'settings-passphrase-submit' },
          t('settings.changePassphrase'))),
    ],
  });

  const roles = [me.is_admin ? t('settings.roleAdmin') : null, me.is_manager ? t('settings.roleManager') : null].filter(Boolean);

  return el('div', { class: 'page page-narrow' },
    pageHeading(t('settings.title')),
    el('p', { class: 'lead' }, t('settings.signedInAs', { name: me.name })),
    roles.length ? el('p', {}, roles.join(' · ')) : null,
    section(t('settings.languageTitle'), {},
      el('div', { 'data-key': 'lang-status' }, lang, ...langMsgs.nodes)),
    section(t('settings.passphraseTitle'), {},
      el('p', { class: 'hint' }, t('settings.passphraseHint')),
      passForm),
    recoverySection(me, app),
    me.is_admin ? idleSection(app) : null,
    // After a restore everyone is signed out: back to the sign-in screen.
    me.is_admin ? backupsSection({ onRestored: () => app.signOut() }) : null,
    me.is_admin ? retentionSection() : null,
    myDataSection(),
    section(t('settings.privacyTitle'), { testid: 'settings-privacy' },
      el('p', {}, t('settings.privacyText')),
      el('ul', { class: 'privacy-list' },
        el('li', {}, t('settings.privacyPrivate')),
        el('li', {}, t('settings.privacyShared')),
        el('li', {}, t('settings.privacyClear')),
        el('li', {}, t('settings.privacyIdle'))),
      el('p', {}, t('settings.privacySignOut'))));
}
