// Tillid's web UI: start-up, header, hash router.
// Routes: #/home #/dialogue/12 #/plan #/people #/groups #/history
//         #/history/person/3 #/history/group/2 #/settings #/search?q=…
//         #/rules #/cases #/cases?dialogue=12
//
// Locking (idle timeout, or the shell saying `locked` / `not_signed_in`)
// empties the whole page and all view state before the sign-in screen is drawn.

import { call, onError, onShellLocked, onShellCrashed } from './ipc.js';
import { el, replace, clear } from './dom.js';
import { t, getLocale, defaultLocale, errorText, loadLocale, useLocale } from './i18n.js';
import { announce, pageHeading, silence } from './ui.js';

// The sign-in list is the only view the first screen needs; every other
// view is a module of its own, fetched the first time it is shown. Each
// module is a request to the shell's tauri:// handler, and those are served
// one after another at some milliseconds each, so even the rare screens
// (a new workplace, a file that cannot be opened, a crash) wait until needed.
import * as signinView from './views/signin.js';
import { readOnlyBanner } from './views/common.js';

// The idle lock and the drafts it keeps are for someone signed in. The
// sign-in list does not wait for them (two modules fewer before it): they
// are fetched when someone chooses their name (app.prepareHome), and every
// way in (signing in, a page that finds someone signed in) waits for them
// first, so no signed-in screen is ever without its lock. The shell's own
// timer locks regardless.
let idleModule = null;
let draftsModule = null;
let idle = null;
let signedInPartsLoading = null;
function signedInParts() {
  if (!signedInPartsLoading) {
    signedInPartsLoading = Promise.all([import('./idle.js'), import('./drafts.js')]).then(([i, d]) => {
      idleModule = i;
      draftsModule = d;
      idle = i.createIdleLock({
        onLock: ({ seconds }) => { lock({ seconds }); },
        onTouch: () => { call('touch').catch(() => { /* `locked` is handled by onError */ }); },
        onWarn: ({ secondsLeft }) => { warnBeforeLock(secondsLeft); },
        onResume: () => { resumeAfterWarning(); },
      });
    });
    // A failed fetch is tried again by the next caller.
    signedInPartsLoading.catch(() => { signedInPartsLoading = null; });
  }
  return signedInPartsLoading;
}

/** The workplace's idle limit in seconds (only asked once someone is signed in). */
function idleSeconds() {
  return idleModule ? idleModule.idleSecondsFrom(state.status) : null;
}

// Start-up marks for scripts/bench-startup.py: the first start only, so a
// day of sign-outs adds nothing to the page's timeline.
let startMarks = true;
const mark = (name) => { if (startMarks) performance.mark(name); };
mark('tillid:app');
// The page's first frame (once per page), to see whether the list waits
// behind a paint of the still-empty page: the answer to app_status and the
// catalog come in the same millisecond in most starts, as if both were held
// up. (Measured: they come as late when the first frame is after the list.)
if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => performance.mark('tillid:frame'));

const VIEW_MODULES = {
  setup: () => import('./views/setup.js'),
  unopenable: () => import('./views/unopenable.js'),
  crash: () => import('./views/crash.js'),
  home: () => import('./views/home.js'),
  dialogue: () => import('./views/dialogue.js'),
  plan: () => import('./views/plan.js'),
  people: () => import('./views/people.js'),
  groups: () => import('./views/groups.js'),
  history: () => import('./views/history.js'),
  settings: () => import('./views/settings.js'),
  search: () => import('./views/search.js'),
  templates: () => import('./views/templates.js'),
  rules: () => import('./views/rules.js'),
  cases: () => import('./views/cases.js'),
  overview: () => import('./views/overview.js'),
  print: () => import('./views/print.js'),
};

// Views that may keep something between renders expose reset(); every view
// loaded so far is reset on lock.
const VIEWS = new Set([signinView]);

/** The module of a lazily loaded view, remembered for the reset on lock. */
async function loadView(name) {
  const view = await VIEW_MODULES[name]();
  VIEWS.add(view);
  return view;
}

const state = {
  status: null,      // result of app_status
  me: null,          // Me, when someone is signed in
  screen: null,      // 'setup' | 'signin' | 'unopenable' | 'route'
  token: 0,          // guards against out-of-order async renders
  signedOutNotice: null, // { seconds } after a lock: shown on the sign-in screen
  pendingDrafts: null, // drafts offered back after sign-in (take_drafts)
  restoring: null,     // the draft to put back once its screen is drawn
  draftsSaved: false,  // save_drafts was called at the warning
  session: null,     // random id of the current sign-in; stamps history entries
  locking: false,
};

const header = () => document.getElementById('app-header');
const main = () => document.getElementById('main');

const ROUTES = [
  { re: /^\/home$/, view: 'home', nav: 'home' },
  { re: /^\/dialogue\/(\d+)$/, view: 'dialogue', params: (m) => ({ id: Number(m[1]) }) },
  {
    re: /^\/plan(?:\?(.*))?$/, view: 'plan', nav: 'plan', allowed: (me) => me.is_manager,
    params: (m) => Object.fromEntries(new URLSearchParams(m[1] || '')),
  },
  { re: /^\/people$/, view: 'people', nav: 'people', allowed: (me) => me.is_admin },
  { re: /^\/groups$/, view: 'groups', nav: 'groups', allowed: (me) => me.is_admin },
  { re: /^\/history$/, view: 'history', nav: 'history', params: () => ({}) },
  {
    re: /^\/history\/(person|group)\/(\d+)$/, view: 'history', nav: 'history',
    params: (m) => ({ kind: m[1], id: Number(m[2]) }),
  },
  { re: /^\/settings$/, view: 'settings', nav: 'settings' },
  {
    re: /^\/overview(?:\?(.*))?$/, view: 'overview', nav: 'overview', allowed: (me) => me.is_manager,
    params: (m) => ({ order: new URLSearchParams(m[1] || '').get('order') || 'name' }),
  },
  {
    re: /^\/search(?:\?(.*))?$/, view: 'search', nav: 'search',
    params: (m) => ({ query: (new URLSearchParams(m[1] || '').get('q') || '').trim() }),
  },
  { re: /^\/templates$/, view: 'templates', nav: 'templates', allowed: (me) => me.is_admin },
  { re: /^\/rules$/, view: 'rules', nav: 'rules' },
  {
    re: /^\/cases(?:\?(.*))?$/, view: 'cases', nav: 'cases',
    params: (m) => ({ dialogue: new URLSearchParams(m[1] || '').get('dialogue') }),
  },
  {
    re: /^\/dialogue\/(\d+)\/print(?:\?(.*))?$/, view: 'print',
    params: (m) => ({ id: Number(m[1]), scope: new URLSearchParams(m[2] || '').get('scope') }),
  },
];

function currentPath() {
  const h = location.hash || '';
  return h.startsWith('#/') ? h.slice(1) : null;
}

function matchRoute(path) {
  for (const r of ROUTES) {
    const m = r.re.exec(path || '');
    if (m) return { route: r, params: r.params ? r.params(m) : {} };
  }
  return null;
}

/** Go to a hash route (re-renders even if it is the current one). */
export function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

const app = {
  navigate,
  get me() { return state.me; },
  get status() { return state.status; },
  /** Seconds without activity before the lock (from app_status; default 300). */
  get idleSeconds() { return idleSeconds(); },
  /** Update Me (e.g. after set_my_locale) and re-render header and page. */
  async setMe(me, { focusSelector = null } = {}) {
    if (!state.me || !me || me.id !== state.me.id) return; // locked meanwhile
    if (me.locale) await loadLocale(me.locale);
    if (!state.me || me.id !== state.me.id) return;
    state.me = me;
    if (me.locale) await useLocale(me.locale);
    renderHeader();
    await route({ focusSelector });
  },
  /** Fetch Me again (e.g. after becoming someone's manager) and redraw only the header. */
  async refreshMe() {
    const session = state.session;
    try {
      const status = await call('app_status');
      if (session !== state.session || !state.me) return; // locked or switched meanwhile
      const workplaceName = (s) => (s && s.workplace ? s.workplace.name : '');
      const newWorkplace = workplaceName(status) !== workplaceName(state.status);
      state.status = status;
      applyIdleSeconds();
      if (status.me && status.me.id === state.me.id) {
        const changed = JSON.stringify(status.me) !== JSON.stringify(state.me);
        state.me = status.me;
        if (changed || newWorkplace) renderHeader();
      } else if (newWorkplace) {
        renderHeader();
      }
    } catch (_) { /* the page shows its own errors */ }
  },
  /** After set_idle_lock: use the new limit at once (app_status confirms it later). */
  setIdleSeconds(seconds) {
    if (state.status && state.status.workplace) state.status.workplace.idle_lock_seconds = seconds;
    applyIdleSeconds();
  },
  /** Re-render the signed-out screens after a local language switch. */
  async setSignedOutLocale(locale, { focusSelector = null } = {}) {
    await useLocale(locale);
    state.chosenLocale = locale;
    await showSignedOut({ focusSelector });
  },
  async signedIn(me) {
    try {
      await signedInParts();
    } catch (err) {
      // Never signed in without the lock: the shell forgets the keys again.
      await call('sign_out').catch(() => {});
      await start();
      announce(errorText(err), { alert: true });
      return;
    }
    await loadLocale(me.locale || getLocale());
    signinView.forget();
    state.me = me;
    state.signedOutNotice = null;
    state.session = newSession();
    idle.start(idleSeconds());
    await useLocale(me.locale || getLocale());
    state.screen = 'route';
    renderHeader();
    navigate('#/home');
    app.refreshMe(); // the idle limit may have changed since the sign-in screen was drawn
    offerDrafts(state.session);
  },
  async signOut() {
    if (idle) idle.stop();
    wipe();
    try {
      await call('sign_out');
    } finally {
      state.me = null;
      await useLocale(state.chosenLocale || defaultLocale(null));
      await start();
    }
  },
  /** Reload app_status (people list, workplace) and show the right screen. */
  restart: () => start(),
  /**
   * Someone chose their name: fetch home's modules while they type, so
   * signing in is not slowed by it (and nobody else's start pays for it).
   */
  prepareHome() {
    signedInParts().catch(() => { /* signedIn tries again and says what fails */ });
    loadView('home').catch(() => { /* route() loads it again and shows the error */ });
  },
};

// ---- locking ----------------------------------------------------------------

function applyIdleSeconds() {
  if (idle) idle.setSeconds(idleSeconds());
}

function newSession() {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  return `${Date.now()}-${Math.random()}`;
}

/**
 * Empty the page and every piece of view state, at once. Nothing of the
 * person who was signed in may stay in the DOM or in module state.
 */
function wipe() {
  state.token += 1; // renders still in flight are dropped
  state.me = null;
  state.session = null;
  state.pendingDrafts = null;
  state.restoring = null;
  state.draftsSaved = false;
  state.status = null;
  state.screen = null;
  for (const v of VIEWS) {
    if (typeof v.reset === 'function') {
      try { v.reset(); } catch (_) { /* keep wiping */ }
    } else if (typeof v.forget === 'function') {
      v.forget();
    }
  }
  if (document.activeElement && typeof document.activeElement.blur === 'function') document.activeElement.blur();
  for (const d of document.querySelectorAll('dialog[open]')) {
    try { d.close(); } catch (_) { d.removeAttribute('open'); }
  }
  for (const f of document.querySelectorAll('form')) f.reset();
  for (const i of document.querySelectorAll('input, textarea')) {
    if (!['checkbox', 'radio', 'submit', 'button', 'hidden'].includes(i.type)) i.value = '';
  }
  // The whole app root: everything but the three fixed children is removed, and those are emptied.
  const keep = new Set(['skip-link', 'app-header', 'main', 'live-status', 'live-alert']);
  for (const node of [...document.body.childNodes]) {
    if (!(node.nodeType === 1 && keep.has(node.id) && node.tagName !== 'SCRIPT')) node.remove();
  }
  clear(header());
  clear(main());
  silence(); // the live regions, and any text still on its way to them
  main().removeAttribute('aria-busy');
  document.title = t('app.name');
  // The last history entry may hold a search query or a dialogue id: overwrite it.
  history.replaceState(null, '', '#/sign-in');
  if (typeof window.scrollTo === 'function') window.scrollTo(0, 0);
}

// ---- unsaved text at the idle lock ------------------------------------------

/** Hands what is typed and unsaved to the shell, sealed with the person's key. */
async function saveDrafts() {
  if (!draftsModule) return;
  const drafts = draftsModule.collectDrafts(main(), location.hash);
  state.draftsSaved = drafts.length > 0;
  if (!drafts.length) return;
  try { await call('save_drafts', { drafts }); } catch (_) { /* locked already: the earlier copy stands */ }
}

/** A minute before the lock: say so, and keep what is being typed safe already. */
function warnBeforeLock(secondsLeft) {
  const m = main();
  if (!m || !state.me) return;
  const old = m.querySelector('[data-testid="idle-warning"]');
  if (old) old.remove();
  m.prepend(draftsModule.idleWarning(secondsLeft));
  announce(t('drafts.warning', { seconds: secondsLeft }), { alert: true });
  saveDrafts();
}

function resumeAfterWarning() {
  const w = main() && main().querySelector('[data-testid="idle-warning"]');
  if (w) w.remove();
  // Still here: what was kept at the warning is not needed.
  if (state.draftsSaved) {
    state.draftsSaved = false;
    call('save_drafts', { drafts: [] }).catch(() => {});
  }
}

/** After sign-in: what the person was typing when the lock came, offered once. */
async function offerDrafts(session) {
  let drafts = [];
  try { drafts = await call('take_drafts'); } catch (_) { return; }
  if (session !== state.session || !drafts.length) return;
  state.pendingDrafts = drafts;
  showDraftNotice();
}

function showDraftNotice() {
  const m = main();
  if (!m) return;
  const old = m.querySelector('[data-testid="drafts-notice"]');
  if (old) old.remove();
  if (!state.pendingDrafts || !state.pendingDrafts.length) return;
  const page = m.querySelector('.page') || m;
  const forget = (d) => {
    state.pendingDrafts = state.pendingDrafts.filter((x) => x !== d);
    showDraftNotice();
  };
  page.prepend(draftsModule.draftNotice(state.pendingDrafts, {
    onRestore: (d) => {
      forget(d);
      state.restoring = d;
      if (location.hash === d.route) route({}); else navigate(d.route);
    },
    onDiscard: (d) => { forget(d); announce(t('drafts.discarded')); },
  }));
}

/** After a screen is drawn: put back a draft meant for it. */
function restorePending() {
  const d = state.restoring;
  if (!d || location.hash !== d.route) return;
  state.restoring = null;
  if (draftsModule.restoreDraft(main(), d)) {
    announce(t('drafts.restored'));
  } else {
    state.pendingDrafts = [...(state.pendingDrafts || []), { ...d, lost: true }];
  }
}

/** Lock: wipe the screen, drop the keys in the shell (sign_out), show sign-in with a notice. */
async function lock({ seconds = null, minutes = null } = {}) {
  if (state.locking) return;
  state.locking = true;
  if (idle) idle.stop();
  const secs = seconds != null ? seconds : (minutes != null ? minutes * 60 : idleSeconds());
  try {
    if (state.me) await saveDrafts();
    wipe();
    state.signedOutNotice = secs != null ? { seconds: secs } : null;
    try { await call('sign_out'); } catch (_) { /* the shell may already have signed out */ }
    await useLocale(state.chosenLocale || defaultLocale(null));
  } finally {
    state.locking = false;
  }
  await start();
}

/** The text of the lock notice, in the current language. */
function lockNoticeText({ seconds }) {
  const s = Math.max(1, Math.round(Number(seconds) || 0));
  if (s < 60) return t('signin.lockedSeconds', { seconds: s });
  const minutes = Math.round(s / 60);
  return minutes === 1 ? t('signin.lockedOneMinute') : t('signin.lockedMinutes', { minutes });
}

// The shell's own idle timer locked: empty the page now, not at the next click.
onShellLocked(() => {
  if (state.me || state.screen === 'route') lock({});
});

// If the shell says the person was locked out or nobody is signed in, lock here too.
onError((err, command) => {
  if (err.code === 'internal') { setTimeout(() => showCrash(err.params.log), 0); return; }
  if ((err.code === 'locked' || err.code === 'not_signed_in') && (state.me || state.screen === 'route')) {
    if (command === 'sign_out') return;
    const minutes = err.code === 'locked' && Number.isFinite(Number(err.params.minutes)) ? Number(err.params.minutes) : null;
    setTimeout(() => lock(minutes != null ? { minutes } : {}), 0);
  }
});

function setTitle(pageTitle) {
  document.title = pageTitle ? t('app.titleWith', { page: pageTitle }) : t('app.name');
}

function focusAfterRender(focusSelector) {
  const m = main();
  const target = (focusSelector && m.querySelector(focusSelector)) || m.querySelector('h1') || m;
  // A new page starts at its top, header included; WebKit would otherwise
  // scroll the focused heading to the very top and hide the header.
  if (!focusSelector) window.scrollTo(0, 0);
  target.focus({ preventScroll: !focusSelector });
}

function renderSkipLink() {
  const skip = document.getElementById('skip-link');
  if (skip) skip.textContent = t('app.skipToContent');
}

function renderHeader() {
  const h = header();
  clear(h);
  renderSkipLink();
  const me = state.me;
  // Read-only data: said on every screen, signed in or not.
  const banner = readOnlyBanner(state.status);
  if (!me || state.screen !== 'route') {
    h.appendChild(el('div', { class: 'header-inner' }, el('p', { class: 'brand' }, t('app.name'))));
    if (banner) h.appendChild(banner);
    return;
  }
  const path = currentPath() || '';
  const active = (matchRoute(path) || {}).route?.nav;
  const link = (key, href, testid) => el('li', {},
    el('a', { href, 'data-testid': testid, 'aria-current': active === key ? 'page' : null }, t(`nav.${key}`)));
  const items = [link('home', '#/home', 'nav-home')];
  if (me.is_manager) items.push(link('plan', '#/plan', 'nav-plan'));
  if (me.is_manager) items.push(link('overview', '#/overview', 'nav-overview'));
  items.push(link('history', '#/history', 'nav-history'));
  if (me.is_admin) {
    items.push(link('people', '#/people', 'nav-people'));
    items.push(link('groups', '#/groups', 'nav-groups'));
    items.push(link('templates', '#/templates', 'nav-templates'));
  }
  items.push(link('rules', '#/rules', 'nav-rules'));
  items.push(link('cases', '#/cases', 'nav-cases'));
  items.push(link('settings', '#/settings', 'nav-settings'));

  const query = active === 'search' ? (matchRoute(path).params.query || '') : '';
  const searchInput = el('input', {
    type: 'search', id: 'search-input', 'data-testid': 'search-input', autocomplete: 'off', spellcheck: 'false',
    maxlength: '200', enterkeyhint: 'search', props: { value: query },
  });
  const searchForm = el('form', { class: 'header-search', role: 'search', 'aria-label': t('search.label'), novalidate: true },
    el('label', { for: 'search-input', class: 'visually-hidden' }, t('search.label')),
    searchInput,
    el('button', { type: 'submit', class: 'btn btn-small', 'data-testid': 'search-submit' }, t('search.submit')));
  searchForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = searchInput.value.trim();
    navigate(q ? `#/search?q=${encodeURIComponent(q)}` : '#/search');
  });

  const signOut = el('button', { type: 'button', class: 'btn btn-quiet', 'data-testid': 'nav-signout' }, t('nav.signOut'));
  signOut.addEventListener('click', async () => {
    signOut.disabled = true;
    try { await app.signOut(); } catch (_) { signOut.disabled = false; }
  });

  const workplace = state.status && state.status.workplace ? state.status.workplace.name : '';
  h.appendChild(el('div', { class: 'header-inner' },
    el('p', { class: 'brand' }, el('a', { href: '#/home' }, t('app.name'))),
    workplace ? el('p', { class: 'header-workplace', 'data-testid': 'header-workplace' },
      el('span', { class: 'visually-hidden' }, `${t('firstHour.workplace')}: `), workplace) : null,
    el('nav', { 'aria-label': t('nav.label') }, el('ul', { class: 'nav-list' }, ...items)),
    searchForm,
    el('div', { class: 'who' },
      el('span', { class: 'who-label' }, t('nav.signedInAs')), ' ',
      el('strong', { 'data-testid': 'whoami' }, me.name), ' ',
      signOut)));
  if (banner) h.appendChild(banner);
}

function loadingIndicator(m) {
  return setTimeout(() => {
    if (m.getAttribute('aria-busy') === 'true') replace(m, el('p', { class: 'loading' }, t('app.loading')));
  }, 250);
}

function errorPage(err) {
  return el('div', { class: 'page' },
    pageHeading(t('app.errorTitle')),
    el('p', { class: 'msg msg-error', role: 'alert', 'data-testid': 'form-error' }, errorText(err)),
    el('p', {}, el('a', { href: '#/home' }, t('app.backHome'))));
}

async function show(renderFn, { focusSelector = null } = {}) {
  const token = ++state.token;
  const m = main();
  m.setAttribute('aria-busy', 'true');
  const timer = loadingIndicator(m);
  let node;
  try {
    node = await renderFn();
  } catch (err) {
    if (err && (err.code === 'not_signed_in' || err.code === 'locked')) { clearTimeout(timer); m.removeAttribute('aria-busy'); return; }
    node = errorPage(err);
  }
  clearTimeout(timer);
  if (token !== state.token) return; // a newer render won
  m.removeAttribute('aria-busy');
  replace(m, node);
  if (state.me) {
    restorePending();
    if (state.pendingDrafts && state.pendingDrafts.length) showDraftNotice();
  }
  const h1 = m.querySelector('h1');
  setTitle(h1 ? h1.textContent : '');
  // On the very first screen leave focus at the start of the document, so the
  // first Tab reaches the skip link; after that, move focus to the new heading.
  if (state.rendered || focusSelector) focusAfterRender(focusSelector);
  state.rendered = true;
}

async function route({ focusSelector = null } = {}) {
  if (!state.me) return showSignedOut();
  state.screen = 'route';
  const path = currentPath();
  const match = matchRoute(path);
  if (!match) {
    if (path === null || path === '/' || path === '/sign-in' || path === '/setup') {
      history.replaceState(stamp(), '', '#/home');
      return route({ focusSelector });
    }
    renderHeader();
    return show(async () => el('div', { class: 'page' },
      pageHeading(t('app.notFoundTitle')),
      el('p', {}, t('app.notFoundText')),
      el('p', {}, el('a', { href: '#/home' }, t('app.backHome')))));
  }
  renderHeader();
  const { route: r, params } = match;
  if (r.allowed && !r.allowed(state.me)) {
    return show(async () => el('div', { class: 'page' },
      pageHeading(t('app.forbiddenTitle')),
      el('p', {}, t('errors.forbidden')),
      el('p', {}, el('a', { href: '#/home' }, t('app.backHome')))));
  }
  return show(async () => (await loadView(r.view)).render({ me: state.me, params, app }), { focusSelector });
}

function showSignedOut({ focusSelector = null } = {}) {
  const status = state.status;
  if (status && status.open_error) {
    state.screen = 'unopenable';
    if (location.hash !== '#/unopenable') history.replaceState(null, '', '#/unopenable');
    renderHeader();
    return show(async () => (await loadView('unopenable')).render({ app, status }), { focusSelector });
  }
  if (!status || !status.workplace) {
    state.screen = 'setup';
    if (location.hash !== '#/setup') history.replaceState(null, '', '#/setup');
    renderHeader();
    return show(async () => (await loadView('setup')).render({ app }), { focusSelector });
  }
  state.screen = 'signin';
  if (location.hash !== '#/sign-in') history.replaceState(null, '', '#/sign-in');
  renderHeader();
  const notice = state.signedOutNotice ? lockNoticeText(state.signedOutNotice) : null;
  return show(() => signinView.render({ app, people: status.people || [], notice, noticeTestid: notice ? 'lock-notice' : null }),
    { focusSelector });
}

async function start() {
  let status;
  try {
    status = await call('app_status');
    mark('tillid:status');
  } catch (err) {
    await useLocale(state.chosenLocale || defaultLocale(null));
    renderHeader();
    return show(async () => errorPage(err));
  }
  if (status.me) {
    try {
      await signedInParts();
    } catch (err) {
      await useLocale(status.me.locale || getLocaleOrDefault());
      renderHeader();
      return show(async () => errorPage(err));
    }
  }
  state.status = status;
  state.me = status.me || null;
  await useLocale(state.me && state.me.locale ? state.me.locale : (state.chosenLocale || getLocaleOrDefault()));
  if (state.me) {
    if (!state.session) state.session = newSession();
    if (idle.active) applyIdleSeconds();
    else idle.start(idleSeconds());
    history.replaceState(stamp(), '', location.href);
    state.screen = 'route';
    return route();
  }
  if (idle) idle.stop();
  state.session = null;
  mark('tillid:locale');
  await showSignedOut();
  mark('tillid:signin');
  startMarks = false;
}

let localeInitialised = false;
function getLocaleOrDefault() {
  if (!localeInitialised) {
    localeInitialised = true;
    return defaultLocale(null);
  }
  return getLocale();
}

/** History state for the current sign-in: entries from an earlier one are not shown again. */
function stamp() {
  return state.session ? { tillidSession: state.session } : null;
}

window.addEventListener('hashchange', () => {
  if (!(location.hash || '').startsWith('#/')) return; // e.g. the skip link
  if (state.me) {
    const entry = history.state && history.state.tillidSession;
    if (entry && entry !== state.session) {
      // Back/forward into someone else's (or an earlier) session: never show its address.
      history.replaceState(stamp(), '', '#/home');
    } else if (!entry) {
      history.replaceState(stamp(), '', location.href);
    }
    route();
  } else if (state.status) showSignedOut();
});

document.addEventListener('click', (ev) => {
  const skip = ev.target.closest && ev.target.closest('#skip-link');
  if (skip) {
    ev.preventDefault();
    main().focus();
  }
});

// Issue 11: a bug inside Tillid (a panic the shell caught and logged):
// say so, instead of a window that stops answering.
function showCrash(log) {
  if (state.screen === 'crash') return;
  state.screen = 'crash';
  if (idle) idle.stop();
  return show(async () => (await loadView('crash')).render({ log: log || '' }));
}
onShellCrashed((log) => showCrash(log));

// The catalog is fetched while app_status is on its way (start awaits both):
// both go out as soon as this module runs. (An earlier script asking first,
// as boot.js did, bought nothing: the page's first request alone takes as
// long as the answer to app_status once the modules are in.)
useLocale(defaultLocale(null)).then(renderSkipLink, () => {});
start();
