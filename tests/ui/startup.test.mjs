// Issue 11: the sign-in list is the first thing everyone waits for. The page
// must not fetch every view and both catalogs before it can draw it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import './fake-dom.mjs';

const UI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'ui', 'js');

/** Every module fetched before app.js runs: its static imports, transitively. */
function staticGraph(entry) {
  const seen = new Set();
  const walk = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const src = readFileSync(file, 'utf8');
    // `import … from '…'` and `import '…'` at the start of a line; import() is lazy.
    for (const m of src.matchAll(/^\s*import\s+(?:[^'"()]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) {
      walk(resolve(dirname(file), m[1]));
    }
  };
  walk(entry);
  return [...seen].map((f) => f.slice(UI.length + 1)).sort();
}

test('the first screen fetches the sign-in view, not every view or both catalogs', () => {
  const graph = staticGraph(join(UI, 'app.js'));
  for (const must of ['app.js', 'ipc.js', 'i18n.js', 'views/signin.js']) {
    assert.ok(graph.includes(must), `${must} is needed for the first screen`);
  }
  // Every module is one more request to the shell, served one after another:
  // the rare first screens (a new workplace, an unopenable file, a crash)
  // are fetched when they are shown.
  for (const later of ['views/home.js', 'views/dialogue.js', 'views/people.js', 'views/settings.js',
    'views/setup.js', 'views/unopenable.js', 'views/backups.js', 'views/crash.js',
    'i18n/da.js', 'i18n/en.js',
    // The idle lock and drafts are for someone signed in; app.js waits for
    // them before anyone is.
    'idle.js', 'drafts.js']) {
    assert.ok(!graph.includes(later), `${later} is fetched up front; it should wait until it is needed`);
  }
  const bytes = graph.reduce((sum, f) => sum + statSync(join(UI, f)).size, 0);
  assert.ok(bytes < 120 * 1024, `the first screen's modules weigh ${bytes} bytes (${graph.length} modules)`);
});

test('a language is usable once loaded; until then texts fall back to English, then to the key', async () => {
  const i18n = await import('../../ui/js/i18n.js');
  i18n.setLocale('da');
  assert.equal(i18n.t('nav.home'), 'nav.home', 'nothing loaded yet: the key, not an empty string');
  await i18n.loadLocale('en');
  assert.equal(i18n.t('nav.home'), 'Home', 'Danish not loaded yet: English');
  assert.equal(await i18n.useLocale('da'), 'da');
  assert.equal(i18n.getLocale(), 'da');
  assert.equal(i18n.t('nav.home'), 'Forside');
  assert.equal(await i18n.useLocale('fr'), 'en', 'an unknown language is English');
});

test('every lazily loaded route names a view module that exists', () => {
  const src = readFileSync(join(UI, 'app.js'), 'utf8');
  const modules = Object.fromEntries([...src.matchAll(/^\s*(\w+): \(\) => import\('\.\/views\/(\w+)\.js'\)/gm)]
    .map((m) => [m[1], m[2]]));
  assert.ok(Object.keys(modules).length >= 10, 'the lazy view table was found');
  for (const [name, file] of Object.entries(modules)) {
    assert.ok(statSync(join(UI, 'views', `${file}.js`)).isFile(), `${name} → views/${file}.js`);
  }
  const routed = [...src.matchAll(/view: '(\w+)'/g)].map((m) => m[1]);
  assert.ok(routed.length >= 10, 'routes were found');
  for (const name of routed) assert.ok(name in modules, `route view '${name}' has a module to load`);
});

test('index.html runs app.js alone: one script, every module it needs preloaded', () => {
  const html = readFileSync(join(UI, '..', 'index.html'), 'utf8');
  assert.deepEqual([...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]), ['<script type="module" src="js/app.js">']);
});

test('index.html preloads exactly the modules the first screen imports', () => {
  const html = readFileSync(join(UI, '..', 'index.html'), 'utf8');
  const preloaded = [...html.matchAll(/<link rel="modulepreload" href="js\/([^"]+)">/g)].map((m) => m[1]).sort();
  const needed = staticGraph(join(UI, 'app.js')).sort();
  assert.deepEqual(preloaded, needed,
    'a module the first screen imports is fetched a level late, or a preloaded one is not needed');
});
