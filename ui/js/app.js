// Tillid's web UI: start-up, header, hash router.
// Routes: #/home #/dialogue/12 #/plan #/people #/groups #/history
//         #/history/person/3 #/history/group/2 #/settings

import { call, onError } from './ipc.js';
import { el, replace, clear } from './dom.js';
import { t, setLocale, getLocale, defaultLocale, errorText } from './i18n.js';
import { pageHeading } from './ui.js';

import * as setupView from './views/setup.js';
import * as signinView from './views/signin.js';
import * as homeView from './views/home.js';
import * as dialogueView from './views/dialogue.js';
import * as planView from './views/plan.js';
import * as peopleView from './views/people.js';
import * as groupsView from './views/groups.js';
import * as historyView from './views/history.js';
import * as settingsView from './views/settings.js';

const state = {
  status: null,      // result of app_status
  me: null,          // Me, when someone is signed in
  screen: null,      // 'setup' | 'signin' | 'route'
  token: 0,          // guards against out-of-order async renders
  signedOutNotice: null,
};

const header = () => document.getElementById('app-header');
const main = () => document.getElementById('main');

const ROUTES = [
  { re: /^\/home$/, view: homeView, nav: 'home' },
  { re: /^\/dialogue\/(\d+)$/, view: dialogueView, params: (m) => ({ id: Number(m[1]) }) },
  { re: /^\/plan$/, view: planView, nav: 'plan', allowed: (me) => me.is_manager },
  { re: /^\/people$/, view: peopleView, nav: 'people', allowed: (me) => me.is_admin },
  { re: /^\/groups$/, view: groupsView, nav: 'groups', allowed: (me) => me.is_admin },
  { re: /^\/history$/, view: historyView, nav: 'history', params: () => ({}) },
  {
    re: /^\/history\/(person|group)\/(\d+)$/, view: historyView, nav: 'history',
    params: (m) => ({ kind: m[1], id: Number(m[2]) }),
  },
  { re: /^\/settings$/, view: settingsView, nav: 'settings' },
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
  /** Update Me (e.g. after set_my_locale) and re-render header and page. */
  setMe(me, { focusSelector = null } = {}) {
    state.me = me;
    if (me && me.locale) setLocale(me.locale);
    renderHeader();
    return route({ focusSelector });
  },
  /** Fetch Me again (e.g. after becoming someone's manager) and redraw only the header. */
  async refreshMe() {
    try {
      const status = await call('app_status');
      state.status = status;
      if (status.me) { state.me = status.me; renderHeader(); }
    } catch (_) { /* the page shows its own errors */ }
  },
  /** Re-render the signed-out screens after a local language switch. */
  setSignedOutLocale(locale, { focusSelector = null } = {}) {
    setLocale(locale);
    state.chosenLocale = locale;
    return showSignedOut({ focusSelector });
  },
  signedIn(me) {
    signinView.forget();
    state.me = me;
    state.signedOutNotice = null;
    setLocale(me.locale || getLocale());
    state.screen = 'route';
    renderHeader();
    navigate('#/home');
  },
  async signOut() {
    try {
      await call('sign_out');
    } finally {
      signinView.forget();
      state.me = null;
      setLocale(state.chosenLocale || defaultLocale(null));
      await start();
    }
  },
  /** Reload app_status (people list, workplace) and show the right screen. */
  restart: () => start(),
};

// If the shell says nobody is signed in (idle lock, switch elsewhere), go back to sign-in.
onError((err) => {
  if (err.code === 'not_signed_in' && state.me) {
    state.me = null;
    state.signedOutNotice = t('signin.signedOutNotice');
    setTimeout(() => start(), 0);
  }
});

function setTitle(pageTitle) {
  document.title = pageTitle ? t('app.titleWith', { page: pageTitle }) : t('app.name');
}

function focusAfterRender(focusSelector) {
  const m = main();
  const target = (focusSelector && m.querySelector(focusSelector)) || m.querySelector('h1') || m;
  target.focus();
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
  if (!me || state.screen !== 'route') {
    h.appendChild(el('div', { class: 'header-inner' }, el('p', { class: 'brand' }, t('app.name'))));
    return;
  }
  const path = currentPath() || '';
  const active = (matchRoute(path) || {}).route?.nav;
  const link = (key, href, testid) => el('li', {},
    el('a', { href, 'data-testid': testid, 'aria-current': active === key ? 'page' : null }, t(`nav.${key}`)));
  const items = [link('home', '#/home', 'nav-home')];
  if (me.is_manager) items.push(link('plan', '#/plan', 'nav-plan'));
  items.push(link('history', '#/history', 'nav-history'));
  if (me.is_admin) {
    items.push(link('people', '#/people', 'nav-people'));
    items.push(link('groups', '#/groups', 'nav-groups'));
  }
  items.push(link('settings', '#/settings', 'nav-settings'));

  const signOut = el('button', { type: 'button', class: 'btn btn-quiet', 'data-testid': 'nav-signout' }, t('nav.signOut'));
  signOut.addEventListener('click', async () => {
    signOut.disabled = true;
    try { await app.signOut(); } catch (_) { signOut.disabled = false; }
  });

  h.appendChild(el('div', { class: 'header-inner' },
    el('p', { class: 'brand' }, el('a', { href: '#/home' }, t('app.name'))),
    el('nav', { 'aria-label': t('nav.label') }, el('ul', { class: 'nav-list' }, ...items)),
    el('div', { class: 'who' },
      el('span', { class: 'who-label' }, t('nav.signedInAs')), ' ',
      el('strong', { 'data-testid': 'whoami' }, me.name), ' ',
      signOut)));
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
    if (err && err.code === 'not_signed_in') { clearTimeout(timer); m.removeAttribute('aria-busy'); return; }
    node = errorPage(err);
  }
  clearTimeout(timer);
  if (token !== state.token) return; // a newer render won
  m.removeAttribute('aria-busy');
  replace(m, node);
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
      history.replaceState(null, '', '#/home');
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
  return show(() => r.view.render({ me: state.me, params, app }), { focusSelector });
}

function showSignedOut({ focusSelector = null } = {}) {
  const status = state.status;
  if (!status || !status.workplace) {
    state.screen = 'setup';
    if (location.hash !== '#/setup') history.replaceState(null, '', '#/setup');
    renderHeader();
    return show(() => setupView.render({ app }), { focusSelector });
  }
  state.screen = 'signin';
  if (location.hash !== '#/sign-in') history.replaceState(null, '', '#/sign-in');
  renderHeader();
  const notice = state.signedOutNotice;
  return show(() => signinView.render({ app, people: status.people || [], notice }), { focusSelector });
}

async function start() {
  let status;
  try {
    status = await call('app_status');
  } catch (err) {
    setLocale(state.chosenLocale || defaultLocale(null));
    renderHeader();
    return show(async () => errorPage(err));
  }
  state.status = status;
  state.me = status.me || null;
  setLocale(state.me && state.me.locale ? state.me.locale : (state.chosenLocale || getLocaleOrDefault()));
  if (state.me) {
    state.screen = 'route';
    return route();
  }
  return showSignedOut();
}

let localeInitialised = false;
function getLocaleOrDefault() {
  if (!localeInitialised) {
    localeInitialised = true;
    return defaultLocale(null);
  }
  return getLocale();
}

window.addEventListener('hashchange', () => {
  if (!(location.hash || '').startsWith('#/')) return; // e.g. the skip link
  if (state.me) route();
  else if (state.status) showSignedOut();
});

document.addEventListener('click', (ev) => {
  const skip = ev.target.closest && ev.target.closest('#skip-link');
  if (skip) {
    ev.preventDefault();
    main().focus();
  }
});

setLocale(defaultLocale(null));
renderSkipLink();
start();
