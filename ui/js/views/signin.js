// Sign-in: choose who you are, then your passphrase (or setup code + new passphrase).

import { el, replace } from '../dom.js';
import { t } from '../i18n.js';
import { call } from '../ipc.js';
import { field, makeForm, pageHeading, emptyNote, input } from '../ui.js';
import { languageField, checkNewPassphrase, passwordInput } from './common.js';

let lastChosenId = null; // keeps the choice across a language switch

export function render({ app, people, notice }) {
  const formHost = el('div', { class: 'signin-form' });
  const buttons = [];

  function choose(person, button, { focus = true, setupMode = null } = {}) {
    lastChosenId = person.id;
    for (const b of buttons) b.setAttribute('aria-pressed', b === button ? 'true' : 'false');
    const needsSetup = setupMode ?? person.needs_setup;
    const form = needsSetup ? setupForm(person) : passphraseForm(person);
    replace(formHost, form);
    if (focus) form.querySelector('input').focus();
  }

  function passphraseForm(person) {
    const pass = passwordInput('signin-passphrase');
    const form = makeForm({
      key: 'signin',
      onSubmit: async () => {
        try {
          const me = await call('sign_in', { person_id: person.id, passphrase: pass.value });
          app.signedIn(me);
        } catch (err) {
          pass.value = '';
          pass.focus();
          if (err.code === 'setup_pending') {
            const b = buttons.find((x) => Number(x.dataset.personId) === person.id);
            choose(person, b, { setupMode: true });
          }
          throw err;
        }
      },
      children: [
        el('h2', {}, t('signin.signInAs', { name: person.name })),
        field(t('signin.passphrase'), pass),
        el('div', { class: 'actions' },
          el('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'signin-submit' }, t('signin.submit'))),
      ],
    });
    return form;
  }

  function setupForm(person) {
    const code = input({ 'data-testid': 'signin-setup-code', autocomplete: 'one-time-code', spellcheck: 'false' });
    const pass = passwordInput('signin-new-passphrase', 'new-password');
    const repeat = passwordInput('signin-new-passphrase-repeat', 'new-password');
    return makeForm({
      key: 'signin-setup',
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
        field(t('signin.setupCode'), code),
        field(t('signin.newPassphrase'), pass, { hint: t('setup.passphraseHint', { min: 8 }) }),
        field(t('signin.newPassphraseRepeat'), repeat),
        el('div', { class: 'actions' },
          el('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'signin-submit' }, t('signin.submitFirstTime'))),
      ],
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

  const page = el('div', { class: 'page page-narrow' },
    pageHeading(t('signin.title')),
    notice ? el('p', { class: 'msg msg-status', role: 'status', 'data-testid': 'form-status' }, notice) : null,
    el('p', { class: 'lead' }, t('signin.intro')),
    people.length ? list : emptyNote(t('signin.nobody')),
    formHost,
    el('div', { class: 'lang-inline' },
      languageField((locale) => app.setSignedOutLocale(locale, { focusSelector: '#lang-select' }))));

  // After a language switch keep the person that was chosen.
  const again = people.find((p) => p.id === lastChosenId);
  if (again) choose(again, buttons[people.indexOf(again)], { focus: false });
  return page;
}

/** Forget the chosen person (after sign-out the next person chooses afresh). */
export function forget() {
  lastChosenId = null;
}
