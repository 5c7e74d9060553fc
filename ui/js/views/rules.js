// Rules that get in the way (MeningsSamlingen): anyone reports a rule, routine
// or form, with their name or without; managers and administrators say what
// happens to it, and a manager can take it onto a planned GRUS agenda.

import { el, replace, uid } from '../dom.js';
import { t, formatDate, formatDateTime } from '../i18n.js';
import { call } from '../ipc.js';
import {
  field, makeForm, select, pageHeading, section, emptyNote, badge, actionButton, messages,
} from '../ui.js';
import { requireText } from './common.js';

export const STATUSES = ['new', 'taken_up', 'removed', 'kept'];
const STATUS_VARIANT = { new: 'info', taken_up: 'warn', removed: 'ok', kept: 'muted' };

function radio(name, value, checked, testid, label, hint) {
  const id = uid('r');
  const hintId = uid('hint');
  return el('div', { class: 'field field-check' },
    el('input', {
      type: 'radio', name, value, id, 'data-testid': testid, 'aria-describedby': hintId, props: { checked },
    }),
    el('label', { for: id }, label),
    el('p', { class: 'hint', id: hintId }, hint));
}

function reportForm(reload) {
  const text = el('textarea', { 'data-testid': 'rule-text', rows: '4', maxlength: '2000' });
  const name = `rule-who-${uid('n')}`;
  const who = el('fieldset', { class: 'fieldset', 'data-testid': 'rule-who' },
    el('legend', {}, t('rules.whoLegend')),
    radio(name, 'named', true, 'rule-named', t('rules.named'), t('rules.namedHint')),
    radio(name, 'anonymous', false, 'rule-anonymous', t('rules.anonymous'), t('rules.anonymousHint')));
  const form = makeForm({
    key: 'rule-form',
    onSubmit: async () => {
      const value = requireText(text, 'text');
      const anonymous = form.querySelector('input[data-testid="rule-anonymous"]').checked;
      await call('report_rule', { text: value, anonymous });
      text.value = '';
      await reload(anonymous ? t('rules.sentAnonymous') : t('rules.sent'));
    },
    children: [
      field(t('rules.textLabel'), text, { hint: t('rules.textHint'), required: true }),
      who,
      el('div', { class: 'actions' },
        el('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'rule-submit' }, t('rules.submit'))),
    ],
  });
  return form;
}

function statusControls(r, data, reload) {
  const msgs = messages();
  const parts = [];
  if (data.can_set_status) {
    const status = select(STATUSES.map((s) => ({ value: s, label: t(`rules.status.${s}`) })),
      { 'data-testid': 'rule-status-select' }, r.status);
    const reason = el('input', {
      type: 'text', autocomplete: 'off', maxlength: '2000', 'data-testid': 'rule-status-reason',
      props: { value: r.reason || '' },
    });
    const save = actionButton({
      label: t('rules.setStatus'), msgs, testid: 'rule-status-save', className: 'btn btn-small',
      attrs: { 'aria-label': t('access.named', { action: t('rules.setStatus'), text: short(r.text) }) },
      onClick: async () => {
        await call('set_rule_status', { report_id: r.id, status: status.value, reason: reason.value.trim() || null });
        await reload(t('rules.statusSaved'));
      },
    });
    parts.push(el('div', { class: 'inline-form' },
      field(t('rules.statusLabel'), status),
      field(t('rules.reasonLabel'), reason, { hint: t('rules.reasonHint') }),
      el('div', { class: 'actions' }, save)));
  }
  if (data.grus_choices && data.grus_choices.length) {
    const grus = select(data.grus_choices.map((g) => ({
      value: String(g.dialogue_id), label: t('rules.grusChoice', { group: g.group, date: formatDateTime(g.scheduled_at) }),
    })), { 'data-testid': 'rule-grus-select' });
    const take = actionButton({
      label: t('rules.takeToGrus'), msgs, testid: 'rule-take-to-grus', className: 'btn btn-small',
      attrs: { 'aria-label': t('access.named', { action: t('rules.takeToGrus'), text: short(r.text) }) },
      onClick: async () => {
        await call('take_rule_to_grus', { report_id: r.id, dialogue_id: Number(grus.value) });
        await reload(t('rules.taken'));
      },
    });
    parts.push(el('div', { class: 'inline-form' },
      field(t('rules.grusLabel'), grus, { hint: t('rules.grusHint') }),
      el('div', { class: 'actions' }, take)));
  }
  if (!parts.length) return null;
  return el('div', { class: 'item-actions' }, ...parts, ...msgs.nodes);
}

function reportItem(r, data, reload) {
  let text = r.text;
  if (r.damaged) text = t('common.damaged', { id: r.id });
  else if (r.locked) text = t('rules.locked');
  const from = r.author ? t('rules.from', { name: r.author.name }) : t('rules.fromAnonymous');
  const status = [badge(t(`rules.status.${STATUSES.includes(r.status) ? r.status : 'new'}`),
    STATUS_VARIANT[r.status] || 'neutral', { 'data-testid': 'rule-report-status' })];
  if (!r.status_genuine) {
    status.push(' ', badge(t('rules.notGenuine'), 'warn', { 'data-testid': 'rule-report-not-genuine' }));
  }
  return el('li', { class: 'item', 'data-testid': 'rule-report' },
    el('p', { class: 'item-text', 'data-testid': 'rule-report-text' }, text),
    el('p', { class: 'brief-meta' },
      el('span', { 'data-testid': 'rule-report-from' }, from), ' · ',
      el('span', {}, t('rules.reportedOn', { date: formatDate(r.reported_on) })), ' ',
      ...status),
    r.status_genuine && r.status_by
      ? el('p', { class: 'hint' }, t('rules.statusBy', { name: r.status_by.name, date: formatDateTime(r.status_at) }))
      : null,
    r.status_genuine && r.reason ? el('p', { 'data-testid': 'rule-report-reason' }, t('rules.reason', { reason: r.reason })) : null,
    r.status_genuine && r.taken_to
      ? el('p', {}, el('a', { href: `#/dialogue/${r.taken_to.dialogue_id}`, 'data-testid': 'rule-report-taken-to' },
        t('rules.takenTo', { group: r.taken_to.group, date: formatDateTime(r.taken_to.scheduled_at) })))
      : null,
    statusControls(r, data, reload));
}

export async function render() {
  const listHost = el('div', { 'data-testid': 'rule-list' });
  const status = el('p', { class: 'msg msg-status', role: 'status', 'data-testid': 'rule-page-status' });

  async function reload(message = '') {
    const data = await call('rule_reports');
    replace(listHost, data.reports.length
      ? el('ul', { class: 'item-list' }, ...data.reports.map((r) => reportItem(r, data, reload)))
      : emptyNote(t('rules.empty'), { text: t('firstHour.rulesNext') }));
    status.textContent = message;
  }
  await reload();

  return el('div', { class: 'page' },
    pageHeading(t('rules.title')),
    el('p', { class: 'lead' }, t('rules.intro')),
    section(t('rules.formTitle'), { testid: 'rule-form-section' }, reportForm(reload)),
    status,
    section(t('rules.listTitle'), { testid: 'rule-list-section' },
      el('p', { class: 'hint' }, t('rules.listHint')),
      listHost));
}

/** Nothing is kept between renders; the app calls this on lock all the same. */
export function reset() {}

/** A report's text, short enough for a button's name. */
function short(text) {
  const one = String(text || '').replace(/\s+/g, ' ').trim();
  return one.length > 60 ? `${one.slice(0, 57)}…` : one;
}
