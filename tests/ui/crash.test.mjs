// Issue 11: the screen after a bug inside Tillid (a panic the shell caught
// and logged): says what happened, that saved work is safe, where the log
// is, and offers to start the window again. Both languages.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';

import { installFakeDom } from './fake-dom.mjs';

let i18n; let view;
before(async () => {
  installFakeDom();
  i18n = await import('../../ui/js/i18n.js');
  await i18n.loadLocales();
  view = await import('../../ui/js/views/crash.js');
});

const LOG = '/home/inge/.local/share/tillid/logs';

for (const [locale, title] of [['da', 'Noget gik galt'], ['en', 'Something went wrong']]) {
  test(`${locale}: something went wrong, saved work is safe, and where the log is`, () => {
    i18n.setLocale(locale);
    const page = view.render({ log: LOG });
    const text = page.textContent;
    assert.ok(text.includes(title), text);
    assert.ok(text.includes(i18n.t('crash.saved')));
    assert.ok(text.includes(i18n.t('crash.log', { path: LOG })));
    assert.ok(text.includes(i18n.t('crash.again')));
    assert.ok(!text.includes('{'), 'an unfilled placeholder');
    const without = view.render({}).textContent;
    assert.ok(without.includes(i18n.t('crash.logFolder')));
    assert.ok(i18n.errorText({ code: 'internal', message: 'x', params: { log: LOG } }).includes(LOG));
  });
}
