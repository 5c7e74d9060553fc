// Something went wrong inside Tillid (a bug: the shell caught a panic).
// Instead of a window that stops answering, say so plainly, that what was
// saved is still there, where the log for support is, and offer to start
// the window again.

import { el } from '../dom.js';
import { t } from '../i18n.js';
import { pageHeading } from '../ui.js';

export function render({ log = '' } = {}) {
  return el('div', { class: 'page page-narrow', 'data-testid': 'crash' },
    pageHeading(t('crash.title')),
    el('p', { class: 'msg msg-error', role: 'alert' }, t('crash.what')),
    el('p', {}, t('crash.saved')),
    log ? el('p', {}, t('crash.log', { path: log })) : el('p', {}, t('crash.logFolder')),
    el('p', {}, el('button', {
      type: 'button', class: 'btn', 'data-testid': 'crash-again',
      on: { click: () => window.location.reload() },
    }, t('crash.again'))));
}
