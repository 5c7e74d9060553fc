// The data file could not be opened (not Tillid's, damaged, from a newer
// version, or nowhere to write a new one): say which file, what is wrong,
// that it was left untouched, and what to do. Shown in the OS language,
// with the language choice of the signed-out screens.

import { el } from '../dom.js';
import { t, errorText } from '../i18n.js';
import { pageHeading } from '../ui.js';
import { languageField } from './common.js';
import { restoreChoices } from './backups.js';

export function render({ app, status }) {
  const err = status.open_error || { code: 'storage', message: '', params: {} };
  const path = (err.params && err.params.path) || status.data_file || '';
  const what = err.code === 'read_only'
    ? t('storage.cannotOpen', { path })
    : errorText({ ...err, params: { ...(err.params || {}), path } });
  const steps = [];
  if (err.code === 'newer_version') steps.push(el('li', {}, t('storage.newerVersionWhat')));
  steps.push(el('li', {}, t('storage.otherFolder'), ' ',
    el('code', { 'data-testid': 'unopenable-example' }, t('storage.otherFolderExample'))));
  if (err.code !== 'read_only') steps.push(el('li', {}, t('storage.restoreBackup', { path })));
  return el('div', { class: 'page page-narrow', 'data-testid': 'unopenable', 'data-code': err.code },
    pageHeading(t('storage.unopenableTitle')),
    el('p', { class: 'msg msg-error', role: 'alert', 'data-testid': 'unopenable-what' }, what),
    err.code === 'read_only' ? null : el('p', { 'data-testid': 'unopenable-untouched' }, t('storage.fileUntouched')),
    el('h2', {}, t('storage.whatNow')),
    el('ul', {}, ...steps),
    // A file that is there but cannot be used can be replaced by a backup;
    // the window starts again on the restored file.
    ['damaged', 'not_a_database', 'newer_version'].includes(err.code) ? restoreChoices({ onRestored: async () => {} }) : null,
    el('div', { class: 'lang-inline' },
      languageField((locale) => app.setSignedOutLocale(locale, { focusSelector: '#lang-select' }))));
}
