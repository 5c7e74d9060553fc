// First start: create the workplace and its first person (the administrator).

import { el } from '../dom.js';
import { t } from '../i18n.js';
import { call } from '../ipc.js';
import { field, makeForm, input, pageHeading } from '../ui.js';
import { languageField, checkNewPassphrase, requireText, passwordInput } from './common.js';

export function render({ app }) {
  const workplace = input({ 'data-testid': 'setup-workplace-name', maxlength: '100', autocomplete: 'organization' });
  const name = input({ 'data-testid': 'setup-admin-name', maxlength: '100', autocomplete: 'name' });
  const pass = passwordInput('setup-passphrase', 'new-password');
  const repeat = passwordInput('setup-passphrase-repeat', 'new-password');

  const form = makeForm({
    key: 'setup',
    onSubmit: async () => {
      const workplaceName = requireText(workplace, 'workplace_name');
      const adminName = requireText(name, 'admin_name');
      checkNewPassphrase(pass, repeat);
      const me = await call('setup_workplace', {
        workplace_name: workplaceName, admin_name: adminName, passphrase: pass.value,
      });
      app.signedIn(me);
    },
    children: [
      field(t('setup.workplaceName'), workplace, { hint: t('setup.workplaceNameHint'), required: true }),
      field(t('setup.adminName'), name, { required: true }),
      field(t('setup.passphrase'), pass, { hint: t('setup.passphraseHint', { min: 8 }), required: true }),
      field(t('setup.passphraseRepeat'), repeat, { required: true }),
      el('div', { class: 'actions' },
        el('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'setup-submit' }, t('setup.submit'))),
    ],
  });

  return el('div', { class: 'page page-narrow' },
    pageHeading(t('setup.title')),
    el('p', { class: 'lead' }, t('setup.intro')),
    el('p', {}, t('setup.adminExplained')),
    el('div', { class: 'lang-inline' }, languageField((locale) => app.setSignedOutLocale(locale, { focusSelector: '#lang-select' }))),
    form);
}
