// Settings → Keeping data (administrators): choose what may go, see exactly
// what that is with counts, and only then delete it.

import { el, replace } from '../dom.js';
import { t, formatNumber } from '../i18n.js';
import { call } from '../ipc.js';
import { checkField, field, makeForm, messages, section, actionButton, uiError } from '../ui.js';

export const SUGGESTED_YEARS = 5;

/** The years field: empty keeps dialogues; otherwise a whole number 1–50. */
export function parseYears(value) {
  const s = String(value ?? '').trim();
  if (s === '') return { ok: true, years: null };
  if (!/^\d{1,2}$/.test(s)) return { ok: false };
  const n = Number(s);
  return n >= 1 && n <= 50 ? { ok: true, years: n } : { ok: false };
}

/** The lines that say what a plan deletes, in words, for a person to confirm. */
export function planLines(plan) {
  const lines = [];
  const n = (x) => formatNumber(x);
  if (plan.dialogues) {
    lines.push(t('retention.dialogues', {
      dialogues: n(plan.dialogues), agenda: n(plan.agenda_items), notes: n(plan.notes),
      agreements: n(plan.agreements), confirmations: n(plan.confirmations),
    }));
  }
  if (plan.private_notes) lines.push(t('retention.privateNotes', { count: n(plan.private_notes) }));
  if (plan.kept_for_open_agreements) lines.push(t('retention.keptOpen', { count: n(plan.kept_for_open_agreements) }));
  return lines;
}

export function retentionSection() {
  const years = el('input', {
    type: 'number', inputmode: 'numeric', min: '1', max: '50', step: '1', class: 'input-short',
    placeholder: String(SUGGESTED_YEARS), 'data-testid': 'retention-years',
  });
  const privateNotes = el('input', { type: 'checkbox', 'data-testid': 'retention-private-notes' });
  const result = el('div', { 'data-testid': 'retention-plan' });
  const msgs = messages();
  let shown = null; // { rule, plan } the administrator is looking at

  function rule() {
    const parsed = parseYears(years.value);
    if (!parsed.ok) throw uiError('invalid_input', { field: 'years' }, years);
    return { years: parsed.years, private_notes_after_newer: privateNotes.checked };
  }

  // The workplace's rule, as the signed roster carries it: the form starts
  // from it, and saving it is separate from deleting anything.
  const current = el('p', { class: 'hint', 'data-testid': 'retention-current' });
  function drawCurrent(r) {
    const parts = [];
    if (r.years != null) parts.push(t('retentionSetting.currentYears', { years: r.years }));
    if (r.private_notes_after_newer) parts.push(t('retentionSetting.currentNotes'));
    replace(current, parts.length ? t('retentionSetting.current', { rule: parts.join('; ') }) : t('retentionSetting.none'));
  }
  call('retention_setting').then((r) => {
    if (r.years != null) years.value = String(r.years);
    privateNotes.checked = !!r.private_notes_after_newer;
    drawCurrent(r);
  }).catch((err) => msgs.showError(err));
  const save = actionButton({
    label: t('retentionSetting.save'),
    testid: 'retention-save',
    msgs,
    onClick: async () => {
      const r = rule();
      await call('save_retention_setting', r);
      drawCurrent(r);
      msgs.showStatus(t('retentionSetting.saved'));
    },
  });

  const form = makeForm({
    key: 'retention',
    onSubmit: async () => {
      const r = rule();
      const plan = await call('retention_preview', r);
      shown = { rule: r, plan };
      draw();
      return null;
    },
    children: [
      field(t('retention.years'), years, { hint: t('retention.yearsHint', { years: SUGGESTED_YEARS }), optional: true }),
      checkField(t('retention.privateNotesLabel'), privateNotes, { hint: t('retention.privateNotesHint') }),
      el('div', { class: 'actions' },
        el('button', { type: 'submit', class: 'btn', 'data-testid': 'retention-preview' }, t('retention.preview')), ' ', save),
    ],
  });

  function draw() {
    if (!shown) { replace(result); return; }
    const lines = planLines(shown.plan);
    const goes = shown.plan.dialogues + shown.plan.private_notes > 0;
    const apply = actionButton({
      label: t('retention.apply'),
      testid: 'retention-apply',
      className: 'btn btn-danger',
      msgs,
      onClick: async () => {
        const done = await call('apply_retention', { ...shown.rule, plan: shown.plan });
        shown = null;
        draw();
        msgs.showStatus(t('retention.done', {
          dialogues: formatNumber(done.dialogues), notes: formatNumber(done.private_notes),
        }));
      },
    });
    replace(result, el('div', { class: 'confirm-panel', role: 'group', 'aria-label': t('retention.planLabel') },
      el('h3', {}, t('retention.planTitle')),
      lines.length ? el('ul', { class: 'confirm-list' }, ...lines.map((l) => el('li', {}, l)))
        : el('p', {}, t('retention.nothing')),
      goes ? el('p', { class: 'hint' }, t('retention.cannotUndo')) : null,
      goes ? el('div', { class: 'actions' }, apply) : null));
  }

  return section(t('retention.title'), { testid: 'settings-retention' },
    el('p', { class: 'hint' }, t('retention.hint')),
    current,
    form,
    result,
    ...msgs.nodes);
}
