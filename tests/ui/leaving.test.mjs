// Marking someone as having left: the refusal says, in words, who must
// take over what, with the person's name in it, in both languages.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';

import { installFakeDom } from './fake-dom.mjs';

let i18n;
before(async () => {
  installFakeDom();
  i18n = await import('../../ui/js/i18n.js');
});

const expected = {
  da: { manager: 'Erik er leder for andre', group: 'personalegruppe', admin: 'tag den fra Erik' },
  en: { manager: 'Erik manages others', group: 'personnel group', admin: 'take it from Erik' },
};

for (const locale of ['da', 'en']) {
  test(`${locale}: a role to hand over is named, with who holds it`, () => {
    i18n.setLocale(locale);
    for (const role of ['admin', 'manager', 'group']) {
      const text = i18n.errorText({ code: 'still_responsible', message: 'x', params: { name: 'Erik', role } });
      assert.ok(text.includes(expected[locale][role]), `${role}: ${text}`);
      assert.ok(!text.includes('{'), `a placeholder is left: ${text}`);
    }
    const left = i18n.errorText({ code: 'has_left', message: 'x', params: { name: 'Erik' } });
    assert.ok(left.startsWith('Erik'), left);
  });
}
