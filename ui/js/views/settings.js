// Settings: my language and my passphrase.

import { el } from '../dom.js';
import { t } from '../i18n.js';
import { call } from '../ipc.js';
import { field, makeForm, messages, pageHeading, section } from '../ui.js';
import { languageField, checkNewPassphrase, passwordInput } from './common.js';

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
      field(t('settings.currentPassphrase'), current),
      field(t('settings.newPassphrase'), pass, { hint: t('setup.passphraseHint', { min: 8 }) }),
      field(t('settings.newPassphraseRepeat'), repeat),
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
    section(t('settings.privacyTitle'), {},
      el('p', {}, t('settings.privacyText'))));
}
