// Checks on the message catalogs and on unsafe DOM APIs. Run: node --test ui/tests/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import da from '../../ui/js/i18n/da.js';
import en from '../../ui/js/i18n/en.js';

const UI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'ui');
const API_MD = join(UI, '..', 'docs', 'api.md');

function walk(dir, filter = () => true) {
  const out = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p, filter));
    else if (filter(p)) out.push(p);
  }
  return out;
}

/** Flatten a nested catalog into {'a.b.c': value}. */
export function flatten(obj, prefix = '', out = {}) {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) flatten(v, key, out);
    else out[key] = v;
  }
  return out;
}

const flatDa = flatten(da);
const flatEn = flatten(en);
const jsFiles = walk(join(UI, 'js'), (p) => p.endsWith('.js'));

test('da and en catalogs have exactly the same keys', () => {
  const daKeys = Object.keys(flatDa).sort();
  const enKeys = Object.keys(flatEn).sort();
  const onlyDa = daKeys.filter((k) => !(k in flatEn));
  const onlyEn = enKeys.filter((k) => !(k in flatDa));
  assert.deepEqual(onlyDa, [], `keys only in da.js: ${onlyDa.join(', ')}`);
  assert.deepEqual(onlyEn, [], `keys only in en.js: ${onlyEn.join(', ')}`);
  assert.ok(daKeys.length > 50, 'catalogs look suspiciously small');
});

test('no catalog value is empty or not a string', () => {
  for (const [name, flat] of [['da', flatDa], ['en', flatEn]]) {
    for (const [k, v] of Object.entries(flat)) {
      assert.equal(typeof v, 'string', `${name}: ${k} is not a string`);
      assert.ok(v.trim().length > 0, `${name}: ${k} is empty`);
    }
  }
});

test('placeholders agree between da and en', () => {
  const ph = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');
  for (const k of Object.keys(flatEn)) {
    if (!(k in flatDa)) continue;
    assert.equal(ph(flatDa[k]), ph(flatEn[k]), `placeholders differ for ${k}`);
  }
});

/** Every t('literal.key') used in ui/js, with file names. */
export function usedKeys(files) {
  const used = [];
  for (const f of files) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/\bt\(\s*(['"])([^'"]+)\1/g)) used.push({ key: m[2], file: relative(UI, f) });
  }
  return used;
}

test('every t(\'literal.key\') used in ui/js exists in both catalogs', () => {
  const used = usedKeys(jsFiles);
  assert.ok(used.length > 100, `found only ${used.length} t() calls; the scan is broken`);
  const missing = used.filter(({ key }) => !(key in flatDa) || !(key in flatEn));
  assert.deepEqual(missing.map(({ key, file }) => `${file}: ${key}`), []);
});

test('key-like string literals (passed on to t() later) exist in both catalogs', () => {
  const namespaces = Object.keys(en).join('|');
  const re = new RegExp(`['"]((?:${namespaces})\\.[A-Za-z0-9_.]+)['"]`, 'g');
  const missing = [];
  for (const f of jsFiles) {
    if (f.includes(`${join('js', 'i18n')}`)) continue;
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(re)) {
      const key = m[1];
      if (key.endsWith('.js')) continue;
      if (!(key in flatDa) || !(key in flatEn)) missing.push(`${relative(UI, f)}: ${key}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('dynamic t(`prefix.${…}`) prefixes name a group in both catalogs', () => {
  const missing = [];
  for (const f of jsFiles) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/\bt\(`([A-Za-z0-9_.]+)\.\$\{/g)) {
      const prefix = m[1];
      const groupDa = Object.keys(flatDa).some((k) => k.startsWith(`${prefix}.`));
      const groupEn = Object.keys(flatEn).some((k) => k.startsWith(`${prefix}.`));
      if (!groupDa || !groupEn) missing.push(`${relative(UI, f)}: ${prefix}.*`);
    }
  }
  assert.deepEqual(missing, []);
});

test('the domain values shown through dynamic keys are all translated', () => {
  const expect = {
    kinds: ['follow_up', 'mus', 'grus', 'ad_hoc'],
    kindsLong: ['follow_up', 'mus', 'grus', 'ad_hoc'],
    'states.dialogue': ['planned', 'held', 'confirmed'],
    'states.agreement': ['open', 'done', 'renegotiated', 'dropped'],
    roles: ['manager', 'employee', 'member'],
    'history.relation': ['my_manager', 'my_employee', 'my_group', 'group_member'],
    things: ['person', 'group', 'dialogue', 'agenda_item', 'note', 'agreement'],
    languages: ['da', 'en'],
    'dialogue.summary.change.agreement': ['added', 'changed', 'removed'],
    'dialogue.summary.change.note': ['added', 'changed', 'removed'],
    'search.kind': ['agenda', 'note', 'private_note', 'agreement', 'comment'],
    'rules.status': ['new', 'taken_up', 'removed', 'kept'],
  };
  for (const [prefix, values] of Object.entries(expect)) {
    for (const v of values) {
      assert.ok(`${prefix}.${v}` in flatDa, `da: ${prefix}.${v}`);
      assert.ok(`${prefix}.${v}` in flatEn, `en: ${prefix}.${v}`);
    }
  }
});

/** Error codes from the table under "## Errors" in docs/api.md. */
export function apiErrorCodes(markdown) {
  const start = markdown.indexOf('## Errors');
  assert.ok(start >= 0, 'docs/api.md has no "## Errors" section');
  const rest = markdown.slice(start + 1);
  const end = rest.search(/^## /m);
  const section = end >= 0 ? rest.slice(0, end) : rest;
  return [...section.matchAll(/^\|\s*`([a-z_]+)`\s*\|/gm)].map((m) => m[1]);
}

test('every error code in docs/api.md has errors.<code> in both catalogs', () => {
  const codes = apiErrorCodes(readFileSync(API_MD, 'utf8'));
  assert.ok(codes.length >= 10, `found only ${codes.length} error codes in docs/api.md`);
  const missing = codes.filter((c) => !(`errors.${c}` in flatDa) || !(`errors.${c}` in flatEn));
  assert.deepEqual(missing, []);
});

test('the error table is read completely, including the codes for encryption, lock and recovery', () => {
  const codes = apiErrorCodes(readFileSync(API_MD, 'utf8'));
  for (const c of ['not_signed_in', 'storage', 'integrity', 'try_later', 'locked', 'key_pending', 'bad_recovery_code']) {
    assert.ok(codes.includes(c), `docs/api.md error table: ${c} not found (scan broken?)`);
  }
});

/** Argument names from the command tables under "## Commands" in docs/api.md. */
export function apiArgumentNames(markdown) {
  const start = markdown.indexOf('## Commands');
  assert.ok(start >= 0, 'docs/api.md has no "## Commands" section');
  const names = new Set();
  for (const m of markdown.slice(start).matchAll(/^\|\s*`[a-z_]+`\s*\|\s*`([^`]*)`/gm)) {
    for (const arg of m[1].split(',')) names.add(arg.trim().replace(/\|null$/, ''));
  }
  return [...names].filter(Boolean).sort();
}

test('every command argument has fields.<name> in both catalogs (invalid_input names it)', () => {
  const names = apiArgumentNames(readFileSync(API_MD, 'utf8'));
  assert.ok(names.includes('dialogue_id') && names.includes('member_ids'), `scan broken: ${names}`);
  const missing = names.filter((n) => !(`fields.${n}` in flatDa) || !(`fields.${n}` in flatEn));
  assert.deepEqual(missing, []);
});

test('error texts use the params docs/api.md gives those codes', () => {
  const needs = { try_later: ['seconds'], locked: ['minutes'], key_pending: ['names'] };
  for (const [code, params] of Object.entries(needs)) {
    for (const [name, flat] of [['da', flatDa], ['en', flatEn]]) {
      for (const p of params) assert.match(flat[`errors.${code}`], new RegExp(`\\{${p}\\}`), `${name}: errors.${code} lacks {${p}}`);
    }
  }
});

// Spelled in pieces so that this file itself does not contain them.
const FORBIDDEN = ['inner' + 'HTML', 'outer' + 'HTML', 'insertAdjacent' + 'HTML', 'document.' + 'write', 'ev' + 'al('];

test('no file under ui/ uses HTML-parsing or eval APIs', () => {
  const files = walk(UI, (p) => /\.(js|mjs|html|css|json)$/.test(p));
  assert.ok(files.length > 10);
  const hits = [];
  for (const f of files) {
    const src = readFileSync(f, 'utf8');
    for (const bad of FORBIDDEN) if (src.includes(bad)) hits.push(`${relative(UI, f)}: ${bad}`);
    if (/new\s+Function\s*\(/.test(src)) hits.push(`${relative(UI, f)}: Function constructor`);
  }
  assert.deepEqual(hits, []);
});

test('index.html has no inline script, inline style or hard-coded UI text', () => {
  const html = readFileSync(join(UI, 'index.html'), 'utf8');
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    assert.match(m[1], /\bsrc=/, 'every <script> needs src=');
    assert.equal(m[2].trim(), '', 'no inline script');
  }
  assert.doesNotMatch(html, /<style\b/i, 'no <style> element');
  assert.doesNotMatch(html, /\sstyle=/i, 'no style attribute');
  assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handler');
  assert.match(html, /<script type="module" src="js\/app\.js"><\/script>/);
  const body = html.replace(/^[\s\S]*<body[^>]*>/i, '').replace(/<\/body>[\s\S]*$/i, '');
  const text = body.replace(/<[^>]+>/g, '').trim();
  assert.equal(text, '', `index.html body has text: ${text}`);
});

test('only ipc.js touches window.__TAURI__', () => {
  const offenders = jsFiles.filter((f) => !f.endsWith(join('js', 'ipc.js')) && readFileSync(f, 'utf8').includes('__TAURI__'));
  assert.deepEqual(offenders.map((f) => relative(UI, f)), []);
});
