// Sign-in: choose who you are, then your passphrase (or setup code + new
// passphrase, or recovery code + new passphrase).

import { el, replace } from '../dom.js';
import { t } from '../i18n.js';
import { call } from '../ipc.js';
import { field, makeForm, pageHeading, emptyNote, input } from '../ui.js';
import { languageField, checkNewPassphrase, passwordInput } from './common.js';

let lastChosenId = null; // keeps the choice across a language switch
let lastMode = null;     // 'recovery' while the recovery form is open

/** How long the shell asks us to wait after this error, in seconds (0: no wait). */
export function waitSeconds(err) {
  if (!err || !err.params) return 0;
  const raw = err.code === 'try_later' ? err.params.seconds
    : err.code === 'wrong_passphrase' ? err.params.wait_seconds : 0;
  const n = Math.ceil(Number(raw));
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/** "Try again in N seconds", with the singular for 1. */
export function waitText(seconds) {
  return seconds === 1 ? t('signin.waitOne') : t('signin.waitMany', { seconds });
}

/**
 * Hold a form's submit button for `seconds`, with a live countdown in `line`
 * (data-testid signin-wait). The button is re-enabled when the time is up.
 */
function holdSubmit(form, submit, line, seconds) {
  if (form.waitTimer) clearInterval(form.waitTimer);
  const until = Date.now() + seconds * 1000;
  // makeForm re-enables buttons it disabled while busy; take this one out of that.
  delete submit.dataset.busyDisabled;
  submit.disabled = true;
  submit.setAttribute('aria-describedby', line.id);
  form.waiting = true;
  const tick = () => {
    if (!form.isConnected && form.waitTimer) { clearInterval(form.waitTimer); form.waitTimer = null; return; }
    const left = Math.ceil((until - Date.now()) / 1000);
    if (left > 0) {
      line.textContent = waitText(left);
      return;
    }
    clearInterval(form.waitTimer);
    form.waitTimer = null;
    form.waiting = false;
    submit.disabled = false;
    line.textContent = t('signin.waitOver');
  };
  tick();
  form.waitTimer = setInterval(tick, 250);
}

/** A form for one of the sign-in modes, with the wait handling all of them share. */
function signinForm({ key, submitLabel, children, onSubmit, extraActions = [] }) {
  const submit = el('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'signin-submit' }, submitLabel);
  const line = el('p', {
    class: 'msg msg-wait', id: `${key}-wait`, 'data-testid': 'signin-wait', role: 'timer', 'aria-live': 'off',
  });
  const form = makeForm({
    key,
    onSubmit: async (msgs) => {
      if (form.waiting) return undefined;
      line.textContent = '';
      try {
        return await onSubmit(msgs);
      } catch (err) {
        const wait = waitSeconds(err);
        if (wait > 0) {
          holdSubmit(form, submit, line, wait);
          if (err.code === 'wrong_passphrase') throw { ...err, code: 'wrong_passphrase_wait' };
        }
        throw err;
      }
    },
    children: [...children, el('div', { class: 'actions' }, submit, ...extraActions)],
  });
  form.appendChild(line); // under the error message it belongs to
  return form;
}

export function render({ app, people: given, notice, noticeTestid = null }) {
  // Alphabetical the Danish way (Æ, Ø, Å last), whatever the store's order.
  const people = [...(given || [])].sort((a, b) => a.name.localeCompare(b.name, 'da'));
  const formHost = el('div', { class: 'signin-form' });
  const buttons = [];

  function choose(person, button, { focus = true, mode = null } = {}) {
    lastChosenId = person.id;
    lastMode = mode === 'recovery' ? 'recovery' : null;
    for (const b of buttons) b.setAttribute('aria-pressed', b === button ? 'true' : 'false');
    const m = mode || (person.needs_setup ? 'setup' : 'passphrase');
    if (app.prepareHome) app.prepareHome();
    const form = m === 'setup' ? setupForm(person)
      : m === 'recovery' ? recoveryForm(person, button)
        : passphraseForm(person, button);
    replace(formHost, form);
    if (focus) form.querySelector('input').focus();
  }

  function passphraseForm(person, button) {
    const pass = passwordInput('signin-passphrase');
    const useRecovery = el('button', {
      type: 'button', class: 'btn btn-quiet', 'data-testid': 'signin-use-recovery',
    }, t('signin.useRecovery'));
    useRecovery.addEventListener('click', () => choose(person, button, { mode: 'recovery' }));
    return signinForm({
      key: 'signin',
      submitLabel: t('signin.submit'),
      onSubmit: async () => {
        try {
          const me = await call('sign_in', { person_id: person.id, passphrase: pass.value });
          pass.value = '';
          app.signedIn(me);
        } catch (err) {
          pass.value = '';
          pass.focus();
          if (err.code === 'setup_pending') {
            const b = buttons.find((x) => Number(x.dataset.personId) === person.id);
            choose(person, b, { mode: 'setup' });
          }
          throw err;
        }
      },
      children: [
        el('h2', {}, t('signin.signInAs', { name: person.name })),
        field(t('signin.passphrase'), pass, { required: true }),
        el('p', { class: 'signin-recovery-link' }, useRecovery),
      ],
    });
  }

  function setupForm(person) {
    const code = input({ 'data-testid': 'signin-setup-code', autocomplete: 'one-time-code', spellcheck: 'false' });
    const pass = passwordInput('signin-new-passphrase', 'new-password');
    const repeat = passwordInput('signin-new-passphrase-repeat', 'new-password');
    return signinForm({
      key: 'signin-setup',
      submitLabel: t('signin.submitFirstTime'),
      onSubmit: async () => {
        checkNewPassphrase(pass, repeat);
        const me = await call('redeem_setup_code', {
          person_id: person.id, setup_code: code.value.trim(), passphrase: pass.value,
        });
        app.signedIn(me);
      },
      children: [
        el('h2', {}, t('signin.firstTimeAs', { name: person.name })),
        el('p', {}, t('signin.firstTimeExplained')),
        field(t('signin.setupCode'), code, { required: true }),
        field(t('signin.newPassphrase'), pass, { hint: t('setup.passphraseHint', { min: 8 }), required: true }),
        field(t('signin.newPassphraseRepeat'), repeat, { required: true }),
      ],
    });
  }

  function recoveryForm(person, button) {
    const code = input({
      'data-testid': 'signin-recovery-code', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'characters',
    });
    const pass = passwordInput('signin-new-passphrase', 'new-password');
    const repeat = passwordInput('signin-new-passphrase-repeat', 'new-password');
    const back = el('button', { type: 'button', class: 'btn btn-quiet', 'data-testid': 'signin-back-to-passphrase' },
      t('signin.backToPassphrase'));
    back.addEventListener('click', () => choose(person, button));
    return signinForm({
      key: 'signin-recovery',
      submitLabel: t('signin.submitRecovery'),
      onSubmit: async () => {
        if (!code.value.trim()) {
          const e = { code: 'empty_text', message: 'empty_text', params: { field: 'recovery_code' }, focus: code };
          throw e;
        }
        checkNewPassphrase(pass, repeat);
        try {
          const me = await call('recover_with_code', {
            person_id: person.id, recovery_code: code.value.trim(), passphrase: pass.value,
          });
          code.value = '';
          pass.value = '';
          repeat.value = '';
          app.signedIn(me);
        } catch (err) {
          if (err.code === 'bad_recovery_code') { code.setAttribute('aria-invalid', 'true'); code.focus(); }
          throw err;
        }
      },
      children: [
        el('h2', {}, t('signin.recoveryAs', { name: person.name })),
        el('p', {}, t('signin.recoveryExplained')),
        el('p', { class: 'hint', 'data-testid': 'signin-recovery-admin-hint' }, t('signin.recoveryNoCode')),
        field(t('signin.recoveryCode'), code, { required: true }),
        field(t('signin.newPassphrase'), pass, { hint: t('setup.passphraseHint', { min: 8 }), required: true }),
        field(t('signin.newPassphraseRepeat'), repeat, { required: true }),
      ],
      extraActions: [back],
    });
  }

  const list = el('ul', { class: 'person-choices' });
  for (const p of people) {
    const b = el('button', {
      type: 'button', class: 'btn person-choice', 'data-testid': 'signin-person',
      'aria-pressed': 'false', dataset: { personId: p.id },
    }, p.name);
    b.addEventListener('click', () => choose(p, b));
    buttons.push(b);
    list.appendChild(el('li', {}, b));
  }
  const filter = people.length >= FILTER_FROM ? nameFilter(people, buttons) : null;

  const page = el('div', { class: 'page page-narrow' },
    pageHeading(t('signin.title')),
    notice ? el('p', {
      class: ['msg', 'msg-status', noticeTestid === 'lock-notice' ? 'msg-lock' : null],
      role: 'status',
      'data-testid': noticeTestid || 'form-status',
    }, notice) : null,
    el('p', { class: 'lead' }, t('signin.intro')),
    filter,
    people.length ? list : emptyNote(t('signin.nobody')),
    formHost,
    el('div', { class: 'lang-inline' },
      languageField((locale) => app.setSignedOutLocale(locale, { focusSelector: '#lang-select' }))));

  // After a language switch keep the person (and the recovery form) that was chosen.
  const again = people.find((p) => p.id === lastChosenId);
  if (again) {
    const mode = lastMode === 'recovery' && !again.needs_setup ? 'recovery' : null;
    choose(again, buttons[people.indexOf(again)], { focus: false, mode });
  }
  return page;
}

// From this many names on, a filter box stands over the list.
export const FILTER_FROM = 6;

/** Does `name` match what was typed: the start of any of its words, any case ("me" → Mette). */
export function nameMatches(name, query) {
  const q = String(query || '').trim().toLocaleLowerCase('da');
  if (!q) return true;
  const n = String(name).toLocaleLowerCase('da');
  return n.startsWith(q) || n.split(/[\s-]+/).some((w) => w.startsWith(q));
}

/** A filter box over the list of names; Enter picks the only match. */
function nameFilter(people, buttons) {
  const box = input({
    type: 'search', id: 'signin-filter', 'data-testid': 'signin-filter', autocomplete: 'off', spellcheck: 'false',
  });
  const none = el('p', { class: 'empty', 'data-testid': 'signin-filter-none', hidden: true, role: 'status' });
  const apply = () => {
    let shown = 0;
    people.forEach((p, i) => {
      const match = nameMatches(p.name, box.value);
      buttons[i].parentElement.hidden = !match;
      if (match) shown += 1;
    });
    none.hidden = shown > 0;
    none.textContent = shown > 0 ? '' : t('firstHour.filterNone', { query: box.value.trim() });
  };
  box.addEventListener('input', apply);
  box.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Enter') return;
    ev.preventDefault();
    const visible = buttons.filter((b) => !b.parentElement.hidden);
    if (visible.length === 1) visible[0].click();
  });
  return el('div', { class: 'signin-filter' },
    field(t('firstHour.filterLabel'), box, { hint: t('firstHour.filterHint') }), none);
}

/** Forget the chosen person (after sign-out the next person chooses afresh). */
export function forget() {
  lastChosenId = null;
  lastMode = null;
}

export function reset() {
  forget();
}
