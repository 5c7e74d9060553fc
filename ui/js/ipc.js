// The only module that touches window.__TAURI__.
// Every command goes through call(); failures reject with {code, message, params}.

let errorHook = null;

/** Register a function called with every normalised error (e.g. to react to not_signed_in). */
export function onError(fn) {
  errorHook = fn;
}

/** Turn anything a command may reject with into {code, message, params}. */
export function normaliseError(e) {
  if (e && typeof e === 'object' && typeof e.code === 'string' && e.code) {
    return {
      code: e.code,
      message: typeof e.message === 'string' ? e.message : String(e.message ?? e.code),
      params: e.params && typeof e.params === 'object' ? e.params : {},
    };
  }
  const message = e && typeof e === 'object' && 'message' in e ? String(e.message) : String(e);
  return { code: 'storage', message, params: {} };
}

export async function call(command, args = {}) {
  const tauri = globalThis.window ? window.__TAURI__ : undefined;
  try {
    if (!tauri || !tauri.core || typeof tauri.core.invoke !== 'function') {
      throw new Error('Tauri bridge (window.__TAURI__) is not available');
    }
    return await tauri.core.invoke(command, args);
  } catch (e) {
    const err = normaliseError(e);
    if (errorHook) {
      try { errorHook(err, command); } catch (_) { /* never mask the real error */ }
    }
    throw err;
  }
}

/**
 * Call fn when the shell locks an idle session by itself (its own timer
 * drops the keys even if this page's timers were throttled).
 */
export function onShellLocked(fn) {
  const tauri = globalThis.window ? window.__TAURI__ : undefined;
  if (tauri && tauri.event && typeof tauri.event.listen === 'function') {
    tauri.event.listen('locked', () => fn()).catch(() => { /* no event bridge: the UI timer still locks */ });
  }
}

/**
 * Call fn({task, stage, done, total}) for each progress event of a long
 * task (backup, restore) until the returned function is called.
 */
export function onProgress(fn) {
  const tauri = globalThis.window ? window.__TAURI__ : undefined;
  let unlisten = null;
  let stopped = false;
  if (tauri && tauri.event && typeof tauri.event.listen === 'function') {
    tauri.event.listen('progress', (e) => fn(e.payload || {}))
      .then((u) => { if (stopped) u(); else unlisten = u; })
      .catch(() => { /* no event bridge: the task still finishes, without a bar */ });
  }
  return () => {
    stopped = true;
    if (unlisten) unlisten();
  };
}

// Issue 11: the shell caught a panic (a bug inside Tillid) and logged it.
/** Call fn(logFolder) when the shell says something went wrong inside it. */
export function onShellCrashed(fn) {
  const tauri = globalThis.window ? window.__TAURI__ : undefined;
  if (tauri && tauri.event && typeof tauri.event.listen === 'function') {
    tauri.event.listen('crashed', (e) => fn(typeof e.payload === 'string' ? e.payload : '')).catch(() => { /* no event bridge: a command still answers `internal` */ });
  }
}
