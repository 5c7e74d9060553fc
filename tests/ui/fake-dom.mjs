// A very small stand-in for the DOM, enough for el()/append()/clear() and
// views that build elements without a browser. Not a test file itself.

export class FakeNode {
  constructor() { this.childNodes = []; this.parentNode = null; }
  appendChild(c) { c.parentNode = this; this.childNodes.push(c); return c; }
  removeChild(c) { this.childNodes = this.childNodes.filter((x) => x !== c); c.parentNode = null; return c; }
  get firstChild() { return this.childNodes[0] || null; }
  get textContent() { return this.childNodes.map((c) => c.textContent).join(''); }
  // As in the DOM: setting the text replaces every child with one text node.
  set textContent(text) {
    for (const c of this.childNodes) c.parentNode = null;
    this.childNodes = [];
    if (text !== '' && text != null) this.appendChild(new FakeText(String(text)));
  }
}

export class FakeText extends FakeNode {
  constructor(text) { super(); this.data = text; }
  get textContent() { return this.data; }
  set textContent(text) { this.data = String(text ?? ''); }
}

export class FakeElement extends FakeNode {
  constructor(tag) {
    super(); this.tagName = tag.toUpperCase(); this.attributes = {}; this.dataset = {}; this.listeners = {};
  }
  setAttribute(k, v) { this.attributes[k] = String(v); }
  getAttribute(k) { return this.attributes[k] ?? null; }
  addEventListener(type, fn) { (this.listeners[type] ||= []).push(fn); }
}

/** Installs the fake as the global `Node` and `document`. */
export function installFakeDom() {
  globalThis.Node = FakeNode;
  globalThis.document = {
    createElement: (tag) => new FakeElement(tag),
    createTextNode: (text) => new FakeText(text),
    documentElement: new FakeElement('html'),
  };
}
