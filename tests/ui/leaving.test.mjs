// Marking someone as having left, and deleting old data: what a person
// reads before anything goes. The refusal to mark someone says who must
// take over what, with the person's name in it, in both languages.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';

import { installFakeDom } from './fake-dom.mjs';

let i18n;
before(async () => {
  installFakeDom();
  i18n = await import('../../ui/js/i18n.js');
  await i18n.loadLocales();
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

test('retention: the years field and the lines that say what goes', async () => {
  const r = await import('../../ui/js/views/retention.js');
  assert.deepEqual(r.parseYears(''), { ok: true, years: null });
  assert.deepEqual(r.parseYears(' 5 '), { ok: true, years: 5 });
  for (const bad of ['0', '51', '-1', '2.5', 'fem', '1e1']) assert.equal(r.parseYears(bad).ok, false, bad);
  i18n.setLocale('da');
  const lines = r.planLines({
    dialogues: 2, agenda_items: 5, notes: 3, agreements: 4, confirmations: 4,
    private_notes: 1, kept_for_open_agreements: 1, dialogue_ids: [1, 2], note_ids: [9],
  });
  assert.equal(lines.length, 3);
  assert.ok(lines[0].startsWith('Samtaler: 2. Med dem slettes dagsordenspunkter (5)'), lines[0]);
  assert.ok(lines[2].includes('stadig er åbne'), lines[2]);
  assert.deepEqual(r.planLines({ dialogues: 0, private_notes: 0, kept_for_open_agreements: 0 }), []);
});
