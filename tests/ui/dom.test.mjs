// Pure helpers tested without a browser: i18n, error text, ipc normalisation, el(), plan dates.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { FakeText, installFakeDom } from './fake-dom.mjs';

process.env.TZ = 'Europe/Copenhagen';

let i18n; let dom; let ipc; let plan; let common;
before(async () => {
  installFakeDom();
  i18n = await import('../../ui/js/i18n.js');
  await i18n.loadLocales();
  dom = await import('../../ui/js/dom.js');
  ipc = await import('../../ui/js/ipc.js');
  plan = await import('../../ui/js/views/plan.js');
  common = await import('../../ui/js/views/common.js');
});

test('t() looks up dotted keys and fills {placeholders}', () => {
  i18n.setLocale('en');
  assert.equal(i18n.t('home.title', { name: 'Anna' }), 'Hello, Anna');
  assert.equal(i18n.t('dialogue.title', { kind: 'MUS', counterpart: 'Bo' }), 'MUS with Bo');
  i18n.setLocale('da');
  assert.equal(i18n.t('home.title', { name: 'Anna' }), 'Hej, Anna');
  assert.equal(i18n.t('dialogue.title', { kind: 'MUS', counterpart: 'Bo' }), 'MUS med Bo');
});

test('fill() leaves unknown placeholders and treats values as plain text', () => {
  assert.equal(i18n.fill('{a} and {b}', { a: '<b>x</b>' }), '<b>x</b> and {b}');
  assert.equal(i18n.fill('{n}', { n: 0 }), '0');
  assert.equal(i18n.fill('{a}{a}', { a: '$&' }), '$&$&');
});

test('a missing key falls back to the key itself', () => {
  const warn = console.warn; console.warn = () => {};
  try { assert.equal(i18n.t('no.such.key'), 'no.such.key'); } finally { console.warn = warn; }
});

test('setLocale/getLocale, with html lang and unknown locales', () => {
  assert.equal(i18n.setLocale('da'), 'da');
  assert.equal(i18n.getLocale(), 'da');
  assert.equal(document.documentElement.lang, 'da');
  assert.equal(i18n.setLocale('fr'), 'en');
  assert.equal(document.documentElement.lang, 'en');
});

test('defaultLocale: saved locale, else navigator language', () => {
  assert.equal(i18n.defaultLocale({ locale: 'en' }, 'da-DK'), 'en');
  assert.equal(i18n.defaultLocale({ locale: null }, 'da-DK'), 'da');
  assert.equal(i18n.defaultLocale(null, 'da'), 'da');
  assert.equal(i18n.defaultLocale(null, 'en-US'), 'en');
  assert.equal(i18n.defaultLocale(null, 'de-DE'), 'en');
  assert.equal(i18n.defaultLocale(null, undefined), 'en');
});

test('formatDate keeps calendar dates on their day, in both locales', () => {
  i18n.setLocale('da');
  assert.equal(i18n.formatDate('2026-11-30'), '30. november 2026');
  i18n.setLocale('en');
  assert.equal(i18n.formatDate('2026-11-30'), '30 November 2026');
  assert.equal(i18n.formatDate(null), '');
  assert.equal(i18n.formatDate('nonsense'), 'nonsense');
});

test('formatDateTime shows UTC times in local time', () => {
  i18n.setLocale('en');
  const en = i18n.formatDateTime('2026-11-30T09:00:00Z');
  assert.match(en, /Monday/);
  assert.match(en, /30 November 2026/);
  assert.match(en, /10:00/); // Copenhagen is UTC+1 in November
  i18n.setLocale('da');
  const da = i18n.formatDateTime('2026-11-30T09:00:00Z');
  assert.match(da, /mandag/);
  assert.match(da, /10[.:]00/);
});

test('errorText translates codes, fills params and translates field names', () => {
  i18n.setLocale('en');
  assert.equal(i18n.errorText({ code: 'wrong_passphrase', message: 'x', params: {} }),
    'That passphrase is not right. Try again.');
  assert.equal(i18n.errorText({ code: 'text_too_long', message: 'x', params: { field: 'text', max: 20000 } }),
    'That is too long: the text can have at most 20,000 characters.');
  assert.equal(i18n.errorText({ code: 'weak_passphrase', params: { min: 8 } }),
    'The passphrase must be at least 8 characters.');
  i18n.setLocale('da');
  assert.equal(i18n.errorText({ code: 'empty_text', params: { field: 'text' } }), 'Du mangler at udfylde teksten.');
  assert.equal(i18n.errorText({ code: 'empty_text', params: { field: 'name' } }), 'Skriv et navn.');
  assert.equal(i18n.errorText({ code: 'invalid_input', params: { field: 'with' } }), 'Vælg, hvem samtalen er med.');
  assert.equal(i18n.errorText({ code: 'text_too_long', params: { field: 'text', max: 20000 } }),
    'Der er for meget tekst: teksten må højst have 20.000 tegn.');
});

test('errorText never shows the core\'s own (English) message', () => {
  i18n.setLocale('da');
  assert.equal(i18n.errorText({ code: 'brand_new', message: 'English fallback', params: {} }), 'Noget gik galt.');
  assert.equal(i18n.errorText({ code: 'storage', message: 'database is locked', params: {} }),
    i18n.t('errors.storage'));
  assert.doesNotMatch(i18n.errorText('boom'), /boom/);
  i18n.setLocale('en');
  assert.equal(i18n.errorText({ code: 'brand_new', params: {} }), 'Something went wrong.');
});

test('ipc normaliseError always gives {code, message, params}', () => {
  assert.deepEqual(ipc.normaliseError('disk full'), { code: 'storage', message: 'disk full', params: {} });
  assert.deepEqual(ipc.normaliseError({ message: 'no code' }), { code: 'storage', message: 'no code', params: {} });
  assert.deepEqual(ipc.normaliseError({ code: 'forbidden', message: 'nope' }), { code: 'forbidden', message: 'nope', params: {} });
  assert.deepEqual(ipc.normaliseError({ code: 'text_too_long', message: 'm', params: { max: 2 } }),
    { code: 'text_too_long', message: 'm', params: { max: 2 } });
  assert.equal(ipc.normaliseError(undefined).code, 'storage');
});

test('ipc call rejects with a normalised error when the bridge fails', async () => {
  globalThis.window = { __TAURI__: { core: { invoke: async () => { throw 'plain string'; } } } };
  try {
    await assert.rejects(ipc.call('home'), { code: 'storage', message: 'plain string' });
    window.__TAURI__.core.invoke = async (cmd, args) => ({ cmd, args });
    assert.deepEqual(await ipc.call('get_dialogue', { dialogue_id: 3 }), { cmd: 'get_dialogue', args: { dialogue_id: 3 } });
    delete window.__TAURI__;
    await assert.rejects(ipc.call('home'), { code: 'storage' });
  } finally {
    delete globalThis.window;
  }
});

test('el() puts strings in as text nodes and refuses inline style and handlers', () => {
  const node = dom.el('p', { class: ['a', false, 'b'], 'data-testid': 'x', hidden: true, title: null },
    '<img src=x onerror=alert(1)>', 3, null, ['y', ['z']]);
  assert.equal(node.attributes.class, 'a b');
  assert.equal(node.attributes['data-testid'], 'x');
  assert.equal(node.attributes.hidden, '');
  assert.ok(!('title' in node.attributes));
  assert.equal(node.childNodes.length, 4);
  assert.ok(node.childNodes.every((c) => c instanceof FakeText));
  assert.equal(node.textContent, '<img src=x onerror=alert(1)>3yz');
  assert.throws(() => dom.el('div', { style: 'color:red' }));
  assert.throws(() => dom.el('div', { onclick: 'x()' }));
  dom.clear(node);
  assert.equal(node.childNodes.length, 0);
});

test('plan: next working day and local time to UTC', () => {
  assert.equal(plan.nextWorkingDay(new Date(2026, 10, 27, 15)), '2026-11-30'); // Fri → Mon
  assert.equal(plan.nextWorkingDay(new Date(2026, 10, 28, 15)), '2026-11-30'); // Sat → Mon
  assert.equal(plan.nextWorkingDay(new Date(2026, 10, 30, 15)), '2026-12-01'); // Mon → Tue
  assert.equal(plan.nextWorkingDay(new Date(2026, 11, 31, 15)), '2027-01-01'); // across a year
  assert.equal(plan.toUtc('2026-11-30', '09:00'), '2026-11-30T08:00:00Z');
  assert.equal(plan.toUtc('2026-07-01', '09:00'), '2026-07-01T07:00:00Z');
  assert.equal(plan.toUtc('', '09:00'), null);
});

test('agreement overdue only when open and dated before today', () => {
  assert.equal(common.isOverdue({ state: 'open', follow_up_on: '2000-01-01' }), true);
  assert.equal(common.isOverdue({ state: 'done', follow_up_on: '2000-01-01' }), false);
  assert.equal(common.isOverdue({ state: 'open', follow_up_on: '2999-01-01' }), false);
  assert.equal(common.isOverdue({ state: 'open', follow_up_on: null }), false);
});
