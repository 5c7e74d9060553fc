// Issue 9: no code and no English reaches a Danish user. Every error code in
// core/src/error.rs and every value of the core's closed word lists (parsed
// from the Rust source, so a new code or value without a text fails here)
// goes through the UI's own formatters in both languages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

import './fake-dom.mjs';
import * as i18n from '../../ui/js/i18n.js';

await i18n.loadLocales();
import { dialogueStateLabel, agreementStateLabel, kindLabel } from '../../ui/js/ui.js';
import da from '../../ui/js/i18n/da.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CORE = join(ROOT, 'src-tauri', 'core', 'src');
const read = (...p) => readFileSync(join(CORE, ...p), 'utf8');

/** The codes `Error::code` returns. */
function errorCodes() {
  const src = read('error.rs');
  const body = src.slice(src.indexOf('pub fn code(&self)'), src.indexOf('pub fn params(&self)'));
  const codes = [...body.matchAll(/=>\s*"([a-z_]+)"/g)].map((m) => m[1]);
  assert.ok(codes.length > 20, 'error codes parsed from error.rs');
  return [...new Set(codes)];
}

/** The params each error carries: `json!({ "name": … })` per code, by variant. */
function errorParamNames() {
  const src = read('error.rs');
  const names = new Set();
  for (const m of src.matchAll(/json!\(\{([^}]*)\}\)/g)) {
    for (const k of m[1].matchAll(/"([a-z_]+)"\s*:/g)) names.add(k[1]);
  }
  return names;
}

/** The text values of a `words!(Name { A = "a", … })` list in domain/types.rs. */
function wordsOf(name) {
  const src = read('domain', 'types.rs');
  const m = new RegExp(`\\b${name}\\s*\\{([^}]*)\\}`).exec(src);
  assert.ok(m, `words!(${name}) in types.rs`);
  return [...m[1].matchAll(/=\s*"([a-z_]+)"/g)].map((x) => x[1]);
}

/** The serialized names of a `#[serde(rename_all = "snake_case")] enum Name { … }`. */
function snakeEnum(file, name) {
  const src = read(...file);
  const m = new RegExp(`enum\\s+${name}\\s*\\{([^}]*)\\}`).exec(src);
  assert.ok(m, `enum ${name} in ${file.join('/')}`);
  return m[1].split('\n').map((l) => l.trim()).filter((l) => /^[A-Z]\w*,?$/.test(l))
    .map((l) => l.replace(',', '').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase());
}

/** Sample values for every param an error can carry, in the core's own words. */
const SAMPLE = {
  what: 'dialogue', field: 'text', max: 20000, min: 8, state: 'open', seconds: 30, wait_seconds: 0,
  minutes: 5, names: 'Mette,Ole', found: 12, known: 11, name: 'Mette', role: 'manager', kind: 'mus',
  path: '/data/tillid.db',
};

// English words that must not appear in a Danish message (whole words).
const ENGLISH = /\b(the|and|not|state|open|held|planned|confirmed|cancelled|dialogue|passphrase|please|error|storage)\b/i;

function assertDanish(text, what) {
  assert.equal(typeof text, 'string', what);
  assert.ok(text.trim().length > 0, `${what}: empty`);
  assert.doesNotMatch(text, /\{\w+\}/, `${what}: unfilled placeholder in »${text}«`);
  assert.doesNotMatch(text, /\b[a-z]+_[a-z_]+\b/, `${what}: a raw code in »${text}«`);
  assert.doesNotMatch(text, ENGLISH, `${what}: English in »${text}«`);
  assert.doesNotMatch(text, /venligst|adgangsfrase/i, `${what}: an old word in »${text}«`);
}

test('every error code has a message in both catalogs', () => {
  for (const locale of i18n.LOCALES) {
    i18n.setLocale(locale);
    for (const code of errorCodes()) {
      assert.ok(i18n.has(`errors.${code}`), `${locale}: errors.${code} is missing`);
    }
  }
});

test('every param an error carries has a sample here', () => {
  for (const name of errorParamNames()) assert.ok(name in SAMPLE, `no sample for the error param ${name}`);
});

test('every error code reads as Danish, whatever it carries', () => {
  i18n.setLocale('da');
  const states = [...wordsOf('DialogueState'), ...wordsOf('AgreementState')];
  for (const code of errorCodes()) {
    const base = { code, message: `core says: ${code} in English`, params: { ...SAMPLE } };
    assertDanish(i18n.errorText(base), `errors.${code}`);
    // The core's English message is never part of the text.
    assert.doesNotMatch(i18n.errorText(base), /core says/, `errors.${code} shows the core's message`);
    for (const state of states) {
      assertDanish(i18n.errorText({ ...base, params: { ...SAMPLE, state } }), `errors.${code} with state ${state}`);
    }
    for (const what of Object.keys(da.things)) {
      assertDanish(i18n.errorText({ ...base, params: { ...SAMPLE, what } }), `errors.${code} with what ${what}`);
    }
    // A word no list knows (a newer core) is not shown raw either.
    const odd = i18n.errorText({ ...base, params: { ...SAMPLE, state: 'brand_new_state', what: 'brand_new_thing' } });
    assert.doesNotMatch(odd, /brand_new/, `errors.${code} shows an unknown word raw: »${odd}«`);
  }
});

test('every field the core names has words in both catalogs and reads as Danish', () => {
  const fields = new Set();
  const walkDir = (dir) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) { walkDir(p); continue; }
      if (!p.endsWith('.rs') || name === 'seed.rs') continue;
      let src = readFileSync(p, 'utf8');
      const tests = src.indexOf('#[cfg(test)]');
      if (tests >= 0) src = src.slice(0, tests);
      for (const re of [/field:\s*"([a-z_]+)"/g, /validate::\w+\(\s*"([a-z_]+)"/g, /\b[A-Z]\w*::parse\(\s*"([a-z_]+)"/g]) {
        for (const m of src.matchAll(re)) fields.add(m[1]);
      }
    }
  };
  walkDir(CORE);
  assert.ok(fields.size > 20, `fields parsed from the core: ${[...fields]}`);
  for (const locale of i18n.LOCALES) {
    i18n.setLocale(locale);
    for (const field of fields) assert.ok(i18n.has(`fields.${field}`), `${locale}: fields.${field} is missing`);
  }
  i18n.setLocale('da');
  for (const field of fields) {
    for (const code of ['empty_text', 'invalid_input', 'text_too_long', 'invalid_date', 'duplicate_name']) {
      const text = i18n.errorText({ code, message: 'x', params: { field, max: 10 } });
      assertDanish(text, `errors.${code} for the field ${field}`);
    }
  }
});

test('every state, kind and status value goes through the formatter in both languages', () => {
  const families = [
    ['DialogueKind', wordsOf('DialogueKind'), kindLabel],
    ['DialogueState', wordsOf('DialogueState'), dialogueStateLabel],
    ['AgreementState', wordsOf('AgreementState'), agreementStateLabel],
    ['AgendaStatus', wordsOf('AgendaStatus'), (s) => i18n.t(`dialogue.agenda.${s}`)],
    ['Role', wordsOf('Role'), (s) => i18n.t(`roles.${s}`)],
    ['RuleStatus', wordsOf('RuleStatus'), (s) => i18n.t(`rules.status.${s}`)],
    ['Side', snakeEnum(['templates', 'mod.rs'], 'Side'), (s) => i18n.t(`prep.side.${s}`)],
    ['Scope', snakeEnum(['service', 'print.rs'], 'Scope'), (s) => i18n.t(`print.scope.${s}`)],
    ['Stage', snakeEnum(['store', 'backup.rs'], 'Stage'), (s) => i18n.t(`backups.stages.${s}`)],
    ['BackupKind', snakeEnum(['store', 'backup.rs'], 'BackupKind'), (s) => i18n.t(`backups.kinds.${s}`)],
    ['request status', ['open', 'planned', 'answered'], (s) => i18n.t(`cycle.request.status.${s}`)],
  ];
  for (const locale of i18n.LOCALES) {
    i18n.setLocale(locale);
    for (const [family, values, format] of families) {
      assert.ok(values.length > 0, `${family}: no values parsed`);
      for (const value of values) {
        const text = format(value);
        assert.ok(typeof text === 'string' && text.trim(), `${locale} ${family}.${value}: empty`);
        if (locale === 'da' || value.includes('_')) assert.notEqual(text, value, `${locale} ${family}.${value}: shown raw`);
        assert.doesNotMatch(text, /^[a-z]+(\.[a-zA-Z_]+)+$/, `${locale} ${family}.${value}: a missing key (${text})`);
        if (locale === 'da') assertDanish(text, `${family}.${value}`);
      }
    }
  }
});

test('the Danish catalog uses the product\'s words', () => {
  const flat = [];
  const walk = (o, k = '') => {
    for (const [key, v] of Object.entries(o)) {
      if (v && typeof v === 'object') walk(v, k ? `${k}.${key}` : key);
      else flat.push([k ? `${k}.${key}` : key, String(v)]);
    }
  };
  walk(da);
  for (const [key, text] of flat) {
    assert.doesNotMatch(text, /adgangsfrase/i, `${key}: »adgangskode«, not »adgangsfrase«`);
    assert.doesNotMatch(text, /venligst/i, `${key}: no »venligst«`);
    assert.doesNotMatch(text, /ansvarsområde/i, `${key}: »det, jeg har påtaget mig«`);
    assert.doesNotMatch(text, /[“”"]/, `${key}: quote with »…«`);
    assert.doesNotMatch(text, /\bdialog(en|er|erne|s)?\b/i, `${key}: »samtale«, not »dialog«`);
  }
});

test('the sign-in filter finds a name by the start of any of its words', async () => {
  const { nameMatches } = await import('../../ui/js/views/signin.js');
  assert.ok(nameMatches('Mette Madsen', 'me'));
  assert.ok(nameMatches('Mette Madsen', 'MAD'));
  assert.ok(nameMatches('Anne-Mette Berg', 'me'));
  assert.ok(nameMatches('Øjvind Ås', 'øj'));
  assert.ok(!nameMatches('Simon Holm', 'me'));
  assert.ok(nameMatches('Simon Holm', '  '));
});

test('home shows each agreement once: overdue, then due soon, then the ledgers', async () => {
  const { onceEach, guided } = await import('../../ui/js/views/home.js');
  const a = (id) => ({ id });
  const once = onceEach({
    overdue: [a(1)], due_soon: [a(2)], my_responsibilities: [a(1), a(2), a(3)], owed_to_me: [a(4), a(1)],
  });
  assert.deepEqual(once.overdue.map((x) => x.id), [1]);
  assert.deepEqual(once.dueSoon.map((x) => x.id), [2]);
  assert.deepEqual(once.mine.map((x) => x.id), [3]);
  assert.deepEqual(once.owed.map((x) => x.id), [4]);
  assert.ok(guided({ is_admin: true, is_manager: false }));
  assert.ok(!guided({ is_admin: true, is_manager: true }));
  assert.ok(!guided({ is_admin: false, is_manager: false }));
});

test('a message the UI made from its own catalog is shown as it is', () => {
  i18n.setLocale('da');
  assert.equal(i18n.errorText({ code: 'confirm_first', message: 'Sæt først kryds.', translated: true }), 'Sæt først kryds.');
  assert.equal(i18n.errorText({ code: 'confirm_first', message: 'Tick it first.' }), 'Noget gik galt.');
});
