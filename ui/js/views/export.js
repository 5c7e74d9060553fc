// Data rights: "everything held about me" (Settings → Your data) and, for a
// manager answering an access request, "everything held about an
// employee" (the overview), with a warning that must be confirmed first.
// The shell gathers the file and asks where to save it; the page only
// shows progress and the outcome.

import { el } from '../dom.js';
import { t, formatNumber } from '../i18n.js';
import { call, onProgress } from '../ipc.js';
import { actionButton, messages, section, emptyNote } from '../ui.js';
import { progressBar } from './backups.js';

/** Runs one export command with a progress bar and a cancel button. */
function exportButton({ label, testid, msgs, progress, cancel, command, args, before }) {
  return actionButton({
    label,
    testid,
    className: 'btn btn-primary',
    msgs,
    onClick: async () => {
      if (before && !before()) return;
      progress.start();
      cancel.hidden = false;
      const stop = onProgress((p) => { if (p.task === 'export') progress.show(p); });
      try {
        const r = await call(command, args ? args() : {});
        msgs.showStatus(r.path
          ? t('export.saved', { path: r.path, count: formatNumber(r.dialogues) })
          : t('export.notSaved'));
      } finally {
        stop();
        progress.stop();
        cancel.hidden = true;
      }
    },
  });
}

/** Shown only while an export runs (a wrapper: `.btn` sets its own display). */
function cancelButton(testid) {
  const button = el('button', { type: 'button', class: 'btn', 'data-testid': testid }, t('export.cancel'));
  button.addEventListener('click', () => { call('cancel_export').catch(() => {}); });
  return el('span', { hidden: true }, button);
}

/** Settings → Your data: the signed-in person's own export. */
export function myDataSection() {
  const msgs = messages();
  const progress = progressBar('export-progress');
  const cancel = cancelButton('export-cancel');
  const go = exportButton({
    label: t('export.mine.button'),
    testid: 'export-mine',
    msgs,
    progress,
    cancel,
    command: 'export_my_data',
  });
  return section(t('export.mine.title'), { testid: 'settings-my-data' },
    el('p', { class: 'hint' }, t('export.mine.hint')),
    el('p', { class: 'hint' }, t('export.contents')),
    el('div', { class: 'actions' }, go, cancel),
    progress.node,
    ...msgs.nodes);
}

/**
 * The overview: a manager's export about one of their employees, for an
 * access request. `people` are the employees the overview lists.
 */
export function aboutEmployeeSection(people) {
  if (!people.length) {
    return section(t('export.about.title'), { testid: 'overview-export' }, emptyNote(t('export.about.none')));
  }
  const msgs = messages();
  const progress = progressBar('export-about-progress');
  const cancel = cancelButton('export-about-cancel');
  const selectId = 'export-about-person';
  const select = el('select', { id: selectId, 'data-testid': 'export-about-person' },
    ...people.map((p) => el('option', { value: String(p.id) }, p.name)));
  const confirmId = 'export-about-confirm';
  const confirm = el('input', { type: 'checkbox', id: confirmId, 'data-testid': 'export-about-confirm' });
  const go = exportButton({
    label: t('export.about.button'),
    testid: 'export-about',
    msgs,
    progress,
    cancel,
    command: 'export_about',
    args: () => ({ person_id: Number(select.value), confirmed: confirm.checked }),
    before: () => {
      if (confirm.checked) return true;
      msgs.showError({ code: 'confirm_first', message: t('export.about.confirmFirst'), translated: true });
      confirm.focus();
      return false;
    },
  });
  return section(t('export.about.title'), { testid: 'overview-export' },
    el('p', { class: 'hint' }, t('export.about.hint')),
    el('div', { class: 'notice', role: 'note', 'data-testid': 'export-about-warning' },
      el('p', {}, t('export.about.warning')),
      el('p', {}, t('export.about.deadline'))),
    el('div', { class: 'field' },
      el('label', { for: selectId }, t('export.about.person')),
      select),
    el('div', { class: 'field field-check' },
      confirm,
      el('label', { for: confirmId }, t('export.about.confirm'))),
    el('div', { class: 'actions' }, go, cancel),
    progress.node,
    ...msgs.nodes);
}
