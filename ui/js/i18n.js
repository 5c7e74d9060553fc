// Message catalogs and locale-aware formatting.
// t(key, {name: 'Anna'}) looks up a dotted key and fills {name} placeholders.

// Each catalog is a module of its own, fetched when its language is first
// needed: the first screen waits for one catalog, not both (start-up time).
const LOADERS = {
  da: () => import('./i18n/da.js'),
  en: () => import('./i18n/en.js'),
};

/** The catalogs loaded so far, by locale. */
export const catalogs = {};
export const LOCALES = ['da', 'en'];
const INTL_LOCALE = { da: 'da-DK', en: 'en-GB' };

let current = 'en';

/** The locale to start with: the person's saved one, else the system's language. */
export function defaultLocale(me = null, navigatorLanguage = globalThis.navigator?.language) {
  if (me && LOCALES.includes(me.locale)) return me.locale;
  return String(navigatorLanguage || '').toLowerCase().startsWith('da') ? 'da' : 'en';
}

/** Fetch a language's catalog (once); setLocale may use it from then on. */
export async function loadLocale(locale) {
  const l = LOCALES.includes(locale) ? locale : 'en';
  if (!catalogs[l]) catalogs[l] = (await LOADERS[l]()).default;
  return l;
}

/** Fetch every catalog (the other language, once the first screen is up; tests). */
export async function loadLocales() {
  await Promise.all(LOCALES.map(loadLocale));
}

/** Load a language's catalog if need be, then switch to it. */
export async function useLocale(locale) {
  return setLocale(await loadLocale(locale));
}

/**
 * Switch language. Its catalog must be loaded (loadLocale / useLocale);
 * until it is, texts come from English, or show their key.
 */
export function setLocale(locale) {
  current = LOCALES.includes(locale) ? locale : 'en';
  if (globalThis.document?.documentElement) document.documentElement.lang = current;
  return current;
}

export function getLocale() {
  return current;
}

function lookup(catalog, key) {
  if (Object.prototype.hasOwnProperty.call(catalog, key)) return catalog[key];
  let node = catalog;
  for (const part of key.split('.')) {
    if (node && typeof node === 'object' && Object.prototype.hasOwnProperty.call(node, part)) {
      node = node[part];
    } else {
      return undefined;
    }
  }
  return node;
}

/** Does the current catalog have this key (as a string)? */
export function has(key) {
  return typeof lookup(catalogs[current] || catalogs.en || {}, key) === 'string';
}

/** Fill {name} placeholders; unknown placeholders are left as they are. */
export function fill(template, params = {}) {
  return template.replace(/\{(\w+)\}/g, (whole, name) =>
    Object.prototype.hasOwnProperty.call(params, name) && params[name] != null
      ? String(params[name])
      : whole);
}

export function t(key, params = {}) {
  let value = lookup(catalogs[current] || {}, key);
  if (typeof value !== 'string') value = lookup(catalogs.en || {}, key);
  if (typeof value !== 'string') {
    if (globalThis.console) console.warn(`i18n: missing key ${key}`);
    return key;
  }
  return fill(value, params);
}

function intl() {
  return INTL_LOCALE[current] || 'en-GB';
}

/** Parse 'YYYY-MM-DD' as a local calendar date, anything else with Date. */
function parseDate(iso) {
  if (iso instanceof Date) return iso;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(iso || ''));
  if (m) return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(iso);
}

/** A calendar date (e.g. a follow-up date) in the chosen locale. */
export function formatDate(iso) {
  if (!iso) return '';
  const d = parseDate(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return new Intl.DateTimeFormat(intl(), { day: 'numeric', month: 'long', year: 'numeric' }).format(d);
}

/** A point in time (RFC 3339, UTC) shown in local time in the chosen locale. */
export function formatDateTime(iso) {
  if (!iso) return '';
  const d = parseDate(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return new Intl.DateTimeFormat(intl(), {
    weekday: 'long', day: 'numeric', month: 'long', year: 'numeric',
    hour: '2-digit', minute: '2-digit',
  }).format(d);
}

/** "A, B or C" in the chosen locale (for "the next time one of them signs in"). */
export function formatOrList(names) {
  const list = (Array.isArray(names) ? names : String(names || '').split(','))
    .map((n) => String(n).trim()).filter(Boolean);
  try {
    return new Intl.ListFormat(intl(), { style: 'long', type: 'disjunction' }).format(list);
  } catch (_) {
    return list.join(', ');
  }
}

export function formatNumber(n) {
  return new Intl.NumberFormat(intl()).format(n);
}

// Parameters whose values are themselves words to translate; the first
// catalog list that knows the word wins (a state may be a dialogue's, an
// agreement's or a cancelled dialogue's).
const TRANSLATED_PARAMS = {
  field: ['fields'],
  what: ['things'],
  state: ['states.dialogue', 'states.agreement', 'cycle.state'],
  kind: ['kinds'],
  role: ['roles_to_hand_over'],
};

/** The translated text of an error {code, message, params}. */
export function errorText(err) {
  const e = err && typeof err === 'object' ? err : { code: 'storage', message: String(err), params: {} };
  const key = `errors.${e.code}`;
  // A message the UI made from its own catalog ({translated: true}) is shown as it is.
  if (e.translated && e.message) return String(e.message);
  // The core's own message is English and for logs only: never shown to a person.
  if (e.message && e.code !== e.message && globalThis.console) console.warn(`tillid: ${e.code}: ${e.message}`);
  if (!e.code || !has(key)) return t('errors.unknown');
  const params = { ...(e.params || {}) };
  // A field someone chooses or fills in may have its own plain sentence
  // ("Vælg, hvem samtalen er med").
  if (['empty_text', 'invalid_input'].includes(e.code) && params.field != null
    && has(`fieldMessages.${params.field}`)) {
    return t(`fieldMessages.${params.field}`);
  }
  for (const [name, prefixes] of Object.entries(TRANSLATED_PARAMS)) {
    if (params[name] == null) continue;
    const prefix = prefixes.find((p) => has(`${p}.${params[name]}`));
    // The word may itself name someone ({name} in a role to hand over).
    if (prefix) params[name] = t(`${prefix}.${params[name]}`, params);
    // A word no catalog knows is never shown raw.
    else if (has(`errorFallbacks.${e.code}`)) return t(`errorFallbacks.${e.code}`);
  }
  if (typeof params.max === 'number') params.max = formatNumber(params.max);
  if (typeof params.min === 'number') params.min = formatNumber(params.min);
  if (typeof params.names === 'string') params.names = formatOrList(params.names);
  return t(key, params);
}
