// Templates in the UI: texts shown in the reader's language (the other
// one when it is empty), the editor's reordering, and the kind errors
// translated with the kind's own name.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';

import { installFakeDom } from './fake-dom.mjs';

let i18n; let prep; let templates; let plan;
before(async () => {
  installFakeDom();
  i18n = await import('../../ui/js/i18n.js');
  await i18n.loadLocales();
  prep = await import('../../ui/js/views/preparation.js');
  templates = await import('../../ui/js/views/templates.js');
  plan = await import('../../ui/js/views/plan.js');
});

test('a template text shows in my language, else in the other', () => {
  const text = { da: 'Hvordan går det?', en: 'How is it going?' };
  assert.equal(prep.localText(text, 'da'), 'Hvordan går det?');
  assert.equal(prep.localText(text, 'en'), 'How is it going?');
  assert.equal(prep.localText({ da: 'Kun dansk', en: '' }, 'en'), 'Kun dansk');
  assert.equal(prep.localText({ da: ' ', en: 'Only English' }, 'da'), 'Only English');
  assert.equal(prep.localText(null, 'da'), '');
});

test('the editor moves questions up and down, never past the ends', () => {
  const list = ['a', 'b', 'c'];
  assert.deepEqual(templates.move(list, 0, -1), ['a', 'b', 'c']);
  assert.deepEqual(templates.move(list, 0, 1), ['b', 'a', 'c']);
  assert.deepEqual(templates.move(list, 2, 1), ['b', 'a', 'c']);
  assert.deepEqual(templates.move(list, 2, -1), ['b', 'c', 'a']);
  const blank = templates.blankTemplate('grus');
  assert.equal(blank.kind, 'grus');
  assert.deepEqual(blank.sections, []);
});

test('every kind can be planned and the kind errors name the kind', () => {
  assert.ok(plan.KINDS.includes('wellbeing'));
  for (const locale of ['da', 'en']) {
    i18n.setLocale(locale);
    const one = i18n.errorText({ code: 'kind_needs_one_person', message: 'x', params: { kind: 'wellbeing' } });
    assert.ok(one.includes(i18n.t('kinds.wellbeing')), one);
    assert.ok(!one.includes('{kind}'), one);
    const group = i18n.errorText({ code: 'kind_needs_group', message: 'x', params: {} });
    assert.ok(group.includes('GRUS'), group);
  }
});
