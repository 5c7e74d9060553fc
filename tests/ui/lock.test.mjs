// Auto-lock timing, sign-in waits, search helpers and the new error texts; no browser needed.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';

import { installFakeDom } from './fake-dom.mjs';

let idle; let i18n; let signin; let search; let settings;
before(async () => {
  installFakeDom();
  idle = await import('../../ui/js/idle.js');
  i18n = await import('../../ui/js/i18n.js');
  await i18n.loadLocales();
  signin = await import('../../ui/js/views/signin.js');
  search = await import('../../ui/js/views/search.js');
  settings = await import('../../ui/js/views/settings.js');
});

/** A fake clock with timers and an event target for createIdleLock. */
function fakeEnv() {
  let now = 0;
  let nextId = 1;
  const timers = new Map();
  const listeners = {};
  const target = {
    hidden: false,
    addEventListener(type, fn) { (listeners[type] ||= []).push(fn); },
    fire(type) { for (const fn of listeners[type] || []) fn({ type }); },
  };
  return {
    target,
    listeners,
    now: () => now,
    setTimeout(fn, ms) { const id = nextId++; timers.set(id, { at: now + ms, fn }); return id; },
    clearTimeout(id) { timers.delete(id); },
    /** Move the clock, running due timers in order (unless `frozen`, like a hidden or sleeping window). */
    advance(ms, { frozen = false } = {}) {
      const end = now + ms;
      if (frozen) { now = end; return; }
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].fn();
      }
      now = end;
    },
  };
}

function setup(seconds = 300) {
  const env = fakeEnv();
  const calls = { lock: [], touch: 0 };
  const lock = idle.createIdleLock({
    onLock: (x) => calls.lock.push(x),
    onTouch: () => { calls.touch += 1; },
  }, env);
  lock.start(seconds);
  return { env, calls, lock };
}

test('idle: default and app_status seconds', () => {
  assert.equal(idle.idleSecondsFrom(null), 300);
  assert.equal(idle.idleSecondsFrom({ workplace: null }), 300);
  assert.equal(idle.idleSecondsFrom({ workplace: { name: 'x' } }), 300);
  assert.equal(idle.idleSecondsFrom({ workplace: { idle_lock_seconds: 60 } }), 60);
  assert.equal(idle.idleSecondsFrom({ workplace: { idle_lock_seconds: 0 } }), 300);
});

test('idle: locks once after the limit without input', () => {
  const { env, calls, lock } = setup(300);
  env.advance(299_000);
  assert.equal(calls.lock.length, 0);
  env.advance(2_000);
  assert.deepEqual(calls.lock, [{ seconds: 300 }]);
  assert.equal(lock.active, false);
  env.advance(1_000_000);
  assert.equal(calls.lock.length, 1);
});

test('idle: input postpones the lock; every input event type counts', () => {
  const { env, calls } = setup(300);
  for (const type of idle.INPUT_EVENTS) {
    env.advance(200_000);
    env.target.fire(type);
  }
  assert.equal(calls.lock.length, 0);
  env.advance(299_000);
  assert.equal(calls.lock.length, 0);
  env.advance(2_000);
  assert.equal(calls.lock.length, 1);
});

test('idle: touch at most once every 30 s while there is input', () => {
  const { env, calls } = setup(300);
  for (let i = 0; i < 100; i += 1) { env.advance(1_000); env.target.fire('mousemove'); } // 100 s of input
  assert.ok(calls.touch >= 3 && calls.touch <= 4, `touch ${calls.touch} times in 100 s`);
  const before = calls.touch;
  env.advance(100_000); // no input: no touch
  assert.equal(calls.touch, before);
});

test('idle: hidden window with throttled timers locks on becoming visible', () => {
  const { env, calls } = setup(120);
  env.target.hidden = true;
  env.target.fire('visibilitychange');
  env.advance(600_000, { frozen: true }); // timers do not run while hidden
  assert.equal(calls.lock.length, 0);
  env.target.hidden = false;
  env.target.fire('visibilitychange');
  assert.equal(calls.lock.length, 1);
});

test('idle: a short hide does not lock', () => {
  const { env, calls } = setup(120);
  env.target.hidden = true;
  env.target.fire('visibilitychange');
  env.advance(30_000, { frozen: true });
  env.target.hidden = false;
  env.target.fire('visibilitychange');
  assert.equal(calls.lock.length, 0);
});

test('idle: the first input after a sleep past the limit locks instead of counting', () => {
  const { env, calls } = setup(60);
  env.advance(3_600_000, { frozen: true }); // laptop asleep: no timers ran
  env.target.fire('keydown');
  assert.equal(calls.lock.length, 1);
  assert.equal(calls.touch, 0);
});

test('idle: a new limit takes effect at once; stop() ends watching', () => {
  const { env, calls, lock } = setup(300);
  env.advance(100_000);
  lock.setSeconds(60); // already idle for 100 s
  assert.equal(calls.lock.length, 1);
  lock.start(300);
  lock.stop();
  env.advance(10_000_000);
  env.target.fire('keydown');
  assert.equal(calls.lock.length, 1);
});

test('sign-in waits: wrong_passphrase.wait_seconds and try_later.seconds', () => {
  assert.equal(signin.waitSeconds({ code: 'wrong_passphrase', params: { wait_seconds: 0 } }), 0);
  assert.equal(signin.waitSeconds({ code: 'wrong_passphrase', params: { wait_seconds: 12 } }), 12);
  assert.equal(signin.waitSeconds({ code: 'wrong_passphrase', params: {} }), 0);
  assert.equal(signin.waitSeconds({ code: 'try_later', params: { seconds: 4.2 } }), 5);
  assert.equal(signin.waitSeconds({ code: 'bad_setup_code', params: { seconds: 4 } }), 0);
  i18n.setLocale('en');
  assert.equal(signin.waitText(12), 'Try again in 12 seconds.');
  assert.equal(signin.waitText(1), 'Try again in 1 second.');
  i18n.setLocale('da');
  assert.equal(signin.waitText(12), 'Prøv igen om 12 sekunder.');
});

test('new error texts: integrity, try_later, locked, key_pending with names', () => {
  i18n.setLocale('en');
  assert.equal(i18n.errorText({ code: 'integrity', params: {} }),
    'Some stored data is damaged or was changed outside Tillid, so it is not shown. Ask your administrator to restore a backup.');
  assert.match(i18n.errorText({ code: 'try_later', params: { seconds: 30 } }), /30 seconds/);
  assert.match(i18n.errorText({ code: 'locked', params: { minutes: 5 } }), /5 minutes/);
  assert.match(i18n.errorText({ code: 'key_pending', params: { names: 'Mette Hansen,Lars Østergaard' } }),
    /Mette Hansen or Lars Østergaard/);
  i18n.setLocale('da');
  assert.match(i18n.errorText({ code: 'key_pending', params: { names: 'Mette Hansen, Lars Østergaard' } }),
    /Mette Hansen eller Lars Østergaard/);
  assert.match(i18n.errorText({ code: 'bad_recovery_code', params: {} }), /Gendannelseskoden/);
});

test('search helpers: terms, excerpt around the match, marks as text nodes', () => {
  assert.deepEqual(search.queryTerms('  Fredag  "plan" fredag '), ['fredag', 'plan']);
  const long = `${'a '.repeat(400)}the Friday planning ${'b '.repeat(400)}`;
  const ex = search.excerpt(long, ['friday'], 100);
  assert.ok(ex.includes('Friday'), ex);
  assert.ok(ex.startsWith('… ') && ex.endsWith(' …'), ex);
  assert.ok(ex.length <= 110);
  assert.equal(search.excerpt('short', ['x']), 'short');
  const parts = search.marked('Plan <b>Friday</b> plan', ['plan']);
  assert.equal(parts.length, 3);
  assert.equal(parts[0].tagName, 'MARK');
  assert.equal(parts[0].textContent, 'Plan');
  assert.equal(parts[1], ' <b>Friday</b> ');
  assert.equal(parts[2].textContent, 'plan');
});

test('settings: idle minutes must be a whole number 1–240', () => {
  assert.equal(settings.parseIdleMinutes('5'), 5);
  assert.equal(settings.parseIdleMinutes(' 240 '), 240);
  for (const bad of ['0', '241', '1.5', '', 'abc', '-3', '1e2']) assert.equal(settings.parseIdleMinutes(bad), null, bad);
});

test('idle: warns a minute before the lock, once; input after the warning resumes', () => {
  const env = fakeEnv();
  const calls = { lock: [], warn: [], resume: 0 };
  const lock = idle.createIdleLock({
    onLock: (x) => calls.lock.push(x),
    onTouch: () => {},
    onWarn: (x) => calls.warn.push(x),
    onResume: () => { calls.resume += 1; },
  }, env);
  lock.start(300);
  env.advance(239_000);
  assert.deepEqual(calls.warn, []);
  env.advance(1_500);
  assert.equal(calls.warn.length, 1);
  assert.ok(calls.warn[0].secondsLeft <= 60 && calls.warn[0].secondsLeft >= 59, JSON.stringify(calls.warn));
  assert.equal(lock.warned, true);
  // Typing in a field counts: the warning ends and the clock starts again.
  env.target.fire('input');
  assert.equal(calls.resume, 1);
  assert.equal(lock.warned, false);
  env.advance(239_000);
  assert.equal(calls.warn.length, 1);
  assert.equal(calls.lock.length, 0);
  env.advance(62_000);
  assert.equal(calls.warn.length, 2);
  assert.deepEqual(calls.lock, [{ seconds: 300 }]);
  // A short limit warns at half of it.
  const env2 = fakeEnv();
  const warn2 = [];
  const lock2 = idle.createIdleLock({ onLock: () => {}, onTouch: () => {}, onWarn: (x) => warn2.push(x) }, env2);
  lock2.start(60);
  env2.advance(29_000);
  assert.equal(warn2.length, 0);
  env2.advance(2_000);
  assert.equal(warn2.length, 1);
});
