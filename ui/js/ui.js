// Shared building blocks for screens: labelled fields, forms with busy state
// and messages, badges. All text comes in already translated.

import { el, uid, clear } from './dom.js';
import { t, errorText } from './i18n.js';

/**
 * Say a text through the live regions that exist in index.html before any
 * text is set (a region drawn together with its text is often not read).
 * The region is emptied first, so the same text twice is read twice.
 */
let announced = 0;
export function announce(text, { alert = false } = {}) {
  const region = typeof document !== 'undefined' && typeof document.getElementById === 'function'
    && document.getElementById(alert ? 'live-alert' : 'live-status');
  if (!region) return;
  const mine = ++announced;
  region.textContent = '';
  setTimeout(() => { if (mine === announced && region.isConnected) region.textContent = text || ''; }, 60);
}

/** Empty both live regions and drop a text still on its way (at lock). */
export function silence() {
  announced += 1;
  if (typeof document === 'undefined' || typeof document.getElementById !== 'function') return;
  for (const id of ['live-status', 'live-alert']) {
    const region = document.getElementById(id);
    if (region) region.textContent = '';
  }
}

/** Add or remove an id in an element's aria-describedby list. */
function describedBy(node, id, on) {
  const ids = (node.getAttribute('aria-describedby') || '').split(/\s+/).filter((x) => x && x !== id);
  if (on) ids.push(id);
  if (ids.length) node.setAttribute('aria-describedby', ids.join(' '));
  else node.removeAttribute('aria-describedby');
}

/**
 * An error and a status line that belong to one form or section. They are
 * seen where they belong and read out through the page's live regions
 * (announce); an error about one field is tied to it (aria-describedby).
 */
export function messages() {
  const error = el('p', { class: 'msg msg-error', id: uid('err'), 'data-testid': 'form-error' });
  const status = el('p', { class: 'msg msg-status', 'data-testid': 'form-status' });
  let field = null;
  const untie = () => {
    if (field) {
      describedBy(field, error.id, false);
      field.removeAttribute('aria-invalid');
      field = null;
    }
  };
  return {
    error,
    status,
    nodes: [error, status],
    clear() {
      error.textContent = '';
      status.textContent = '';
      untie();
    },
    showError(err) {
      status.textContent = '';
      untie();
      error.textContent = errorText(err);
      announce(error.textContent, { alert: true });
      if (err && err.focus && typeof err.focus.focus === 'function') {
        field = err.focus;
        field.setAttribute('aria-invalid', 'true');
        describedBy(field, error.id, true);
        field.focus();
      }
    },
    showStatus(text) {
      error.textContent = '';
      untie();
      status.textContent = text;
      announce(text);
    },
  };
}

/** A client-side error shaped like the shell's, optionally pointing at the field to focus. */
export function uiError(code, params = {}, focus = null) {
  return { code, message: code, params, focus };
}

/**
 * A labelled field. `control` is an input/select/textarea element; its id is
 * set if missing. `hint` (optional) is linked by aria-describedby.
 */
export function field(label, control, { hint = null, className = '', required = false, optional = false } = {}) {
  if (!control.id) control.id = uid('f');
  // Required fields say so (and aria-required); optional ones say "optional", the same way everywhere.
  if (required) control.setAttribute('aria-required', 'true');
  const mark = required ? el('span', { class: 'field-mark' }, ` (${t('access.required')})`)
    : optional ? el('span', { class: 'field-mark' }, ` (${t('access.optional')})`) : null;
  const children = [el('label', { for: control.id }, label, mark)];
  if (hint) {
    const hintId = uid('hint');
    control.setAttribute('aria-describedby', hintId);
    children.push(el('p', { class: 'hint', id: hintId }, hint));
  }
  children.push(control);
  return el('div', { class: ['field', className] }, ...children);
}

/** A checkbox with its label to the right. */
export function checkField(label, checkbox, { hint = null } = {}) {
  if (!checkbox.id) checkbox.id = uid('c');
  const parts = [checkbox, el('label', { for: checkbox.id }, label)];
  const wrap = el('div', { class: 'field field-check' }, ...parts);
  if (hint) {
    const hintId = uid('hint');
    checkbox.setAttribute('aria-describedby', hintId);
    wrap.appendChild(el('p', { class: 'hint', id: hintId }, hint));
  }
  return wrap;
}

function setBusy(container, busy) {
  container.setAttribute('aria-busy', busy ? 'true' : 'false');
  for (const b of container.querySelectorAll('button')) {
    if (busy) {
      if (!b.disabled) { b.disabled = true; b.dataset.busyDisabled = '1'; }
    } else if (b.dataset.busyDisabled) {
      b.disabled = false;
      delete b.dataset.busyDisabled;
    }
  }
}

/**
 * A form that never navigates. onSubmit(msgs, form) may return a string
 * (shown as status) and may throw {code, params} (shown as translated error).
 * Enter submits (native); in textareas Ctrl/Cmd+Enter submits.
 */
export function makeForm({ key = null, className = 'form', label = null, onSubmit, children = [] }) {
  const msgs = messages();
  const form = el('form', {
    class: className,
    novalidate: true,
    'data-key': key,
    'aria-label': label,
  }, ...children, ...msgs.nodes);
  form.msgs = msgs;
  form.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey) && ev.target.tagName === 'TEXTAREA') {
      ev.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener('input', (ev) => {
    if (ev.target.getAttribute && ev.target.getAttribute('aria-invalid')) ev.target.removeAttribute('aria-invalid');
  });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (form.getAttribute('aria-busy') === 'true') return;
    msgs.clear();
    setBusy(form, true);
    try {
      const result = await onSubmit(msgs, form);
      if (typeof result === 'string' && result) msgs.showStatus(result);
    } catch (err) {
      if (form.isConnected) msgs.showError(err);
      else if (globalThis.console) console.error(err);
    } finally {
      setBusy(form, false);
    }
  });
  return form;
}

/**
 * A button that runs an async action, disabled while it runs; errors go to
 * msgs (from messages()).
 */
export function actionButton({ label, onClick, msgs, testid = null, key = null, className = 'btn', attrs = {} }) {
  const button = el('button', { type: 'button', class: className, 'data-testid': testid, 'data-key': key, ...attrs }, label);
  button.addEventListener('click', async () => {
    if (button.disabled) return;
    if (msgs) msgs.clear();
    button.disabled = true;
    try {
      await onClick(button);
    } catch (err) {
      if (msgs) msgs.showError(err);
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

/** A text badge for a state (never colour alone: the text says it). */
export function badge(text, variant = 'neutral', attrs = {}) {
  return el('span', { class: ['badge', `badge-${variant}`], ...attrs }, text);
}

export const DIALOGUE_STATE_VARIANT = { planned: 'info', held: 'warn', confirmed: 'ok', cancelled: 'muted' };
export const AGREEMENT_STATE_VARIANT = { open: 'info', done: 'ok', renegotiated: 'warn', dropped: 'muted' };

export function dialogueStateLabel(state) {
  if (state === 'cancelled') return t('cycle.state.cancelled');
  return t(`states.dialogue.${state}`);
}
export function agreementStateLabel(state) {
  return t(`states.agreement.${state}`);
}
export function kindLabel(kind) {
  return t(`kinds.${kind}`);
}

/** A page heading that receives focus on navigation. */
export function pageHeading(text) {
  return el('h1', { tabindex: '-1', class: 'page-title', id: 'page-title' }, text);
}

/** A section with an h2 and an optional id/testid. */
export function section(title, { testid = null, id = null, className = 'section' } = {}, ...children) {
  const hId = uid('h');
  return el('section', { class: className, 'data-testid': testid, id, 'aria-labelledby': hId },
    el('h2', { id: hId }, title), ...children);
}

/**
 * A kind message for an empty list, with the next step when there is one:
 * `next` is a link ({href, label, testid}) or a line of text ({text}).
 */
export function emptyNote(text, next = null) {
  if (!next) return el('p', { class: 'empty' }, text);
  const step = next.href
    ? el('a', { href: next.href, class: 'btn', 'data-testid': next.testid || 'empty-next' }, next.label)
    : next.text;
  return el('div', { class: 'empty', 'data-testid': 'empty-note' },
    el('p', {}, text), el('p', { class: 'empty-next' }, step));
}

export function input(attrs = {}) {
  return el('input', { type: 'text', autocomplete: 'off', ...attrs });
}

export function select(options, attrs = {}, selected = null) {
  const s = el('select', attrs);
  for (const o of options) {
    if (o.group) {
      const g = el('optgroup', { label: o.group });
      for (const oo of o.options) g.appendChild(el('option', { value: oo.value }, oo.label));
      s.appendChild(g);
    } else {
      s.appendChild(el('option', { value: o.value, disabled: o.disabled || false }, o.label));
    }
  }
  if (selected !== null && selected !== undefined) s.value = String(selected);
  return s;
}

export function removeAll(node) {
  clear(node);
}

/** Today's date as YYYY-MM-DD in local time. */
export function todayIso(now = new Date()) {
  return isoDate(now);
}

export function isoDate(d) {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
