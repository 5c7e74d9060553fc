// Auto-lock after a while without input, and "still here" pings to the shell.
//
// One clock: the time of the last user input. A timer checks it, but timers
// are throttled while the window is hidden and stop while the laptop sleeps,
// so the elapsed time is also checked when the window becomes visible again
// and on the first input after a pause (that input does not count as activity
// if the limit had already passed).

export const DEFAULT_IDLE_SECONDS = 300;
export const TOUCH_EVERY_MS = 30_000;
// `input` too: text pasted or dictated without a key press is activity.
export const INPUT_EVENTS = ['keydown', 'input', 'pointerdown', 'mousemove', 'wheel', 'touchstart'];
/** The warning comes this long before the lock (half the limit if that is shorter). */
export const WARN_BEFORE_MS = 60_000;

/** Seconds from app_status (workplace.idle_lock_seconds), with a sane default. */
export function idleSecondsFrom(status) {
  const s = status && status.workplace ? Number(status.workplace.idle_lock_seconds) : NaN;
  return Number.isFinite(s) && s > 0 ? s : DEFAULT_IDLE_SECONDS;
}

/**
 * createIdleLock({ onLock, onTouch, onWarn, onResume }) → { start(seconds), stop(), setSeconds(s), active, input(), visibility(hidden) }
 *   onLock({ seconds })  called once when the limit passes while active
 *   onTouch()            called at most every TOUCH_EVERY_MS while there is input
 *   onWarn({ secondsLeft }) called once a minute (or half the limit) before the lock
 *   onResume()           called on the first input after a warning
 * `env` lets tests pass a fake clock, timers and event target.
 */
export function createIdleLock({ onLock, onTouch, onWarn = null, onResume = null }, env = {}) {
  const now = env.now || (() => Date.now());
  const setT = env.setTimeout || ((fn, ms) => setTimeout(fn, ms));
  const clearT = env.clearTimeout || ((id) => clearTimeout(id));
  const target = env.target !== undefined ? env.target : (globalThis.document || null);

  let seconds = DEFAULT_IDLE_SECONDS;
  let active = false;
  let lastInput = 0;
  let lastTouch = 0;
  let hiddenAt = null;
  let timer = null;
  let listening = false;
  let warned = false;

  const limitMs = () => seconds * 1000;
  const warnAtMs = () => limitMs() - Math.min(WARN_BEFORE_MS, limitMs() / 2);

  function schedule(ms) {
    if (timer !== null) clearT(timer);
    // Never wait very long in one go: a late timer (sleep) is caught up by the check.
    timer = setT(check, Math.max(250, Math.min(ms, 60_000)));
  }

  function lock() {
    if (!active) return;
    active = false;
    warned = false;
    if (timer !== null) { clearT(timer); timer = null; }
    try { onLock({ seconds }); } catch (_) { /* the lock itself must not throw here */ }
  }

  /** Lock if the limit has passed; otherwise wait for the rest of it. */
  function check() {
    if (timer !== null) { clearT(timer); timer = null; }
    if (!active) return;
    const t = now();
    const idleFor = t - lastInput;
    if (idleFor >= limitMs()) { lock(); return; }
    if (hiddenAt !== null && t - hiddenAt >= limitMs()) { lock(); return; }
    if (!warned && idleFor >= warnAtMs()) {
      warned = true;
      try { if (onWarn) onWarn({ secondsLeft: Math.ceil((limitMs() - idleFor) / 1000) }); } catch (_) { /* never in the way of the lock */ }
    }
    schedule(warned ? limitMs() - idleFor : warnAtMs() - idleFor);
  }

  function input() {
    if (!active) return;
    const t = now();
    if (t - lastInput >= limitMs()) { lock(); return; } // e.g. the first key after the laptop slept
    lastInput = t;
    if (warned) {
      warned = false;
      try { if (onResume) onResume(); } catch (_) { /* as above */ }
      schedule(warnAtMs());
    }
    if (t - lastTouch >= TOUCH_EVERY_MS) {
      lastTouch = t;
      try { onTouch(); } catch (_) { /* a failed ping is handled by the caller */ }
    }
  }

  function visibility(hidden) {
    if (!active) { hiddenAt = hidden ? now() : null; return; }
    if (hidden) {
      hiddenAt = now();
    } else {
      check();
      hiddenAt = null;
    }
  }

  function onEvent() { input(); }
  function onVisibility() { visibility(Boolean(target && target.hidden)); }

  function listen() {
    if (listening || !target || typeof target.addEventListener !== 'function') return;
    listening = true;
    for (const type of INPUT_EVENTS) target.addEventListener(type, onEvent, { capture: true, passive: true });
    target.addEventListener('visibilitychange', onVisibility);
  }

  return {
    /** Begin watching for someone who has just signed in (or was signed in at start). */
    start(secs) {
      if (secs) seconds = secs;
      listen();
      active = true;
      lastInput = now();
      lastTouch = lastInput;
      warned = false;
      hiddenAt = target && target.hidden ? now() : null;
      schedule(warnAtMs());
    },
    stop() {
      active = false;
      warned = false;
      hiddenAt = null;
      if (timer !== null) { clearT(timer); timer = null; }
    },
    /** A new limit (after app_status or set_idle_lock); takes effect at once. */
    setSeconds(secs) {
      if (!(Number.isFinite(secs) && secs > 0)) return;
      seconds = secs;
      if (active) check();
    },
    get seconds() { return seconds; },
    get active() { return active; },
    get warned() { return warned; },
    input,
    visibility,
    check,
  };
}
