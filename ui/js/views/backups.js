// Backups in the window: take one now, list those in the data folder's
// backups/, and put one back. Used by Settings (administrators) and by the
// screen shown when the data file cannot be opened.

import { el, replace } from '../dom.js';
import { t, formatDateTime, formatNumber } from '../i18n.js';
import { call, onProgress } from '../ipc.js';
import { actionButton, messages, section, emptyNote } from '../ui.js';

/** A progress bar with a text that says the same, for a long task. */
export function progressBar(testid) {
  const bar = el('progress', { max: '100', value: '0', 'data-testid': testid, 'aria-label': t('backups.progressLabel') });
  const line = el('p', { class: 'hint', role: 'status', 'aria-live': 'polite' });
  const host = el('div', { class: 'progress', hidden: true }, bar, line);
  return {
    node: host,
    start() { host.hidden = false; bar.value = 0; line.textContent = ''; },
    show({ stage, done, total }) {
      const percent = total > 0 ? Math.floor((done * 100) / total) : 0;
      bar.value = percent;
      line.textContent = stage && stage !== 'copying'
        ? t(`backups.stages.${stage}`)
        : t('backups.percent', { percent: formatNumber(percent) });
    },
    stop() { host.hidden = true; },
  };
}

function megabytes(bytes) {
  return formatNumber(Math.max(0.1, Math.round(bytes / 104857.6) / 10));
}

function count(n, one, many) {
  return n === 1 ? t(one) : t(many, { n: formatNumber(n) });
}

function describe(b) {
  const what = b.facts
    ? t('backups.holds', {
      workplace: b.facts.workplace,
      people: count(b.facts.people, 'backups.peopleOne', 'backups.peopleMany'),
      dialogues: count(b.facts.dialogues, 'backups.dialoguesOne', 'backups.dialoguesMany'),
    })
    : t('backups.unreadable');
  return `${t(`backups.kinds.${b.kind}`)} · ${what} · ${t('backups.size', { mb: megabytes(b.bytes) })}`;
}

/**
 * The list of backups, each with a restore button that asks once before
 * it replaces anything. onRestored(result) runs after a restore.
 */
function backupList({ msgs, progress, onRestored }) {
  const host = el('div', { 'data-testid': 'backup-list' });

  async function draw() {
    const list = await call('list_backups');
    if (!list.length) {
      replace(host, emptyNote(t('backups.none')));
      return;
    }
    replace(host, el('ul', { class: 'plain-list' }, ...list.map((b) => item(b))));
  }

  function item(b) {
    const when = formatDateTime(b.made_at);
    const ask = el('div', { class: 'confirm-box', hidden: true, role: 'group', 'aria-label': t('backups.confirmLabel', { when }) },
      el('p', {}, t('backups.confirmText', { when })));
    const yes = actionButton({
      label: t('backups.confirmYes'),
      testid: 'backup-restore-confirm',
      className: 'btn btn-primary',
      msgs,
      onClick: async () => {
        progress.start();
        const stop = onProgress((p) => { if (p.task === 'restore') progress.show(p); });
        try {
          const result = await call('restore_backup', { name: b.name });
          msgs.showStatus(result.restarting ? t('backups.restoredRestarting') : t('backups.restored', { when }));
          await onRestored(result);
        } finally {
          stop();
          progress.stop();
        }
      },
    });
    const no = el('button', { type: 'button', class: 'btn', 'data-testid': 'backup-restore-cancel' }, t('backups.confirmNo'));
    ask.append(el('div', { class: 'actions' }, yes, no));
    const restore = el('button', {
      type: 'button', class: 'btn', 'data-testid': 'backup-restore',
      'aria-label': t('backups.restoreNamed', { when }),
    }, t('backups.restore'));
    restore.addEventListener('click', () => { ask.hidden = false; yes.focus(); });
    no.addEventListener('click', () => { ask.hidden = true; restore.focus(); });
    return el('li', { 'data-testid': 'backup-item', 'data-name': b.name },
      el('strong', {}, when), el('br'), el('span', { class: 'hint' }, describe(b)), ' ', restore, ask);
  }

  return { node: host, draw };
}

/** Settings → Backups, for administrators. */
export function backupsSection({ onRestored }) {
  const msgs = messages();
  const progress = progressBar('backup-progress');
  const list = backupList({ msgs, progress, onRestored });
  const now = actionButton({
    label: t('backups.now'),
    testid: 'backup-now',
    className: 'btn btn-primary',
    msgs,
    onClick: async () => {
      progress.start();
      const stop = onProgress((p) => { if (p.task === 'backup') progress.show(p); });
      try {
        const r = await call('back_up_now');
        msgs.showStatus(t('backups.made', { path: r.path }));
        await list.draw();
      } finally {
        stop();
        progress.stop();
      }
    },
  });
  list.draw().catch((err) => msgs.showError(err));
  return section(t('backups.title'), { testid: 'settings-backups' },
    el('p', { class: 'hint' }, t('backups.hint')),
    el('div', { class: 'actions' }, now),
    progress.node,
    ...msgs.nodes,
    el('h3', {}, t('backups.listTitle')),
    list.node);
}

/** The backups offered when the data file cannot be opened. */
export function restoreChoices({ onRestored }) {
  const msgs = messages();
  const progress = progressBar('restore-progress');
  const list = backupList({ msgs, progress, onRestored });
  list.draw().catch((err) => msgs.showError(err));
  return el('div', { 'data-testid': 'unopenable-backups' },
    el('h2', {}, t('backups.restoreTitle')),
    el('p', { class: 'hint' }, t('backups.restoreHint')),
    progress.node,
    ...msgs.nodes,
    list.node);
}
