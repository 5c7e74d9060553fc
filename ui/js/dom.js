// Tiny DOM helpers. Everything is built with createElement and text nodes:
// text (including anything from the database) is never parsed as HTML.

/**
 * el(tag, attrs, ...children)
 * attrs: plain attributes (string/number/true), plus
 *   - `on: {click: fn, ...}` event listeners
 *   - `dataset: {key: value}`
 *   - `props: {value, checked, ...}` set as DOM properties
 *   - `class` may be a string or an array (falsy entries dropped)
 *   false/null/undefined values are skipped.
 * children: nodes, strings/numbers (become text nodes), arrays (flattened),
 *   null/undefined/false (skipped).
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (key === 'on') {
      for (const [type, fn] of Object.entries(value)) node.addEventListener(type, fn);
    } else if (key === 'dataset') {
      for (const [k, v] of Object.entries(value)) if (v != null) node.dataset[k] = String(v);
    } else if (key === 'props') {
      for (const [k, v] of Object.entries(value)) node[k] = v;
    } else if (key === 'class') {
      const cls = Array.isArray(value) ? value.filter(Boolean).join(' ') : String(value);
      if (cls) node.setAttribute('class', cls);
    } else if (key === 'style' || /^on/i.test(key)) {
      // Inline styles and inline handlers are blocked by the CSP; refuse them here.
      throw new Error(`el(): attribute "${key}" is not allowed`);
    } else {
      node.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(node, children);
  return node;
}

/** Append children (see el) to a node. */
export function append(node, children) {
  for (const child of flatten(children)) {
    if (child === null || child === undefined || child === false || child === true) continue;
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Remove all children of a node. */
export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

/** Replace all children of a node. */
export function replace(node, ...children) {
  clear(node);
  return append(node, children);
}

function flatten(list) {
  const out = [];
  for (const c of list) {
    if (Array.isArray(c)) out.push(...flatten(c));
    else out.push(c);
  }
  return out;
}

let counter = 0;
/** A unique id for label/for and aria-describedby pairs. */
export function uid(prefix = 'id') {
  counter += 1;
  return `${prefix}-${counter}`;
}
