// The screens for faults: a data file that cannot be opened, and the
// read-only banner. Both languages, text only.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';

import { installFakeDom } from './fake-dom.mjs';

let i18n; let view; let common;
before(async () => {
  installFakeDom();
  i18n = await import('../../ui/js/i18n.js');
  await i18n.loadLocales();
  view = await import('../../ui/js/views/unopenable.js');
  common = await import('../../ui/js/views/common.js');
});

const PATH = '/home/inge/.local/share/tillid/tillid.sqlite3';
const app = { setSignedOutLocale: () => Promise.resolve() };

function status(code, params = {}) {
  return { data_file: PATH, open_error: { code, message: 'x', params: { path: PATH, ...params } } };
}

for (const locale of ['da', 'en']) {
  test(`${locale}: each open error names the file, what is wrong and what to do`, () => {
    i18n.setLocale(locale);
    for (const code of ['not_a_database', 'damaged', 'newer_version']) {
      const text = view.render({ app, status: status(code, { found: 3, known: 2 }) }).textContent;
      assert.ok(text.includes(PATH), `${code}: no path`);
      assert.ok(text.includes(i18n.t(`errors.${code}`, { path: PATH })), `${code}: no cause`);
      assert.ok(text.includes(i18n.t('storage.fileUntouched')), `${code}: not said untouched`);
      assert.ok(text.includes('--data-dir'), `${code}: no way to another folder`);
      assert.ok(text.includes(i18n.t('storage.restoreBackup', { path: PATH })), `${code}: no backup advice`);
      assert.ok(!text.includes('{'), `${code}: an unfilled placeholder`);
    }
    const locked = view.render({ app, status: status('read_only') }).textContent;
    assert.ok(locked.includes(i18n.t('storage.cannotOpen', { path: PATH })));
  });

  test(`${locale}: the read-only banner says why, and is absent when writable`, () => {
    i18n.setLocale(locale);
    for (const [reason, key] of [['folder', 'storage.readOnlyFolder'], ['file', 'storage.readOnlyFile']]) {
      const banner = common.readOnlyBanner({ data_file: PATH, read_only: reason });
      assert.equal(banner.getAttribute('data-testid'), 'read-only-banner');
      assert.equal(banner.getAttribute('role'), 'status');
      assert.ok(banner.textContent.includes(i18n.t(key, { path: PATH })));
    }
    assert.equal(common.readOnlyBanner({ data_file: PATH, read_only: null }), null);
    assert.equal(common.readOnlyBanner(null), null);
  });
}

test('the fault error texts say what to do, in both languages', () => {
  for (const locale of ['da', 'en']) {
    i18n.setLocale(locale);
    const full = i18n.errorText({ code: 'disk_full', message: '', params: {} });
    const ro = i18n.errorText({ code: 'read_only', message: '', params: {} });
    assert.notEqual(full, i18n.t('errors.unknown'));
    assert.notEqual(ro, i18n.t('errors.unknown'));
  }
  i18n.setLocale('en');
  assert.match(i18n.errorText({ code: 'disk_full', message: '', params: {} }), /Free some space.*try again.*Nothing that was already saved has been lost/);
});
