// Plan a dialogue: with whom, when, and which kind.

import { el, replace } from '../dom.js';
import { t } from '../i18n.js';
import { call } from '../ipc.js';
import { field, makeForm, pageHeading, select, emptyNote, uiError, isoDate } from '../ui.js';
import { localText } from './preparation.js';

export const KINDS = ['follow_up', 'mus', 'grus', 'wellbeing', 'ad_hoc'];

/** Kinds held with one person only, and with a group only. */
export const ONE_PERSON_KINDS = ['mus', 'wellbeing'];
export const GROUP_KINDS = ['grus'];

/** The next working day (Mon–Fri) after `now`, as YYYY-MM-DD. */
export function nextWorkingDay(now = new Date()) {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  while (d.getDay() === 0 || d.getDay() === 6) d.setDate(d.getDate() + 1);
  return isoDate(d);
}

/** Local date + time → UTC RFC 3339. */
export function toUtc(date, time) {
  const d = new Date(`${date}T${time}`);
  if (Number.isNaN(d.getTime())) return null;
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export async function render({ app, me, params = {} }) {
  const options = await call('plan_options');
  const templates = (await call('list_templates')).filter((tpl) => !tpl.damaged || tpl.builtin);
  const employees = options.employees || [];
  const groups = options.groups || [];

  if (!employees.length && !groups.length) {
    return el('div', { class: 'page page-narrow' },
      pageHeading(t('plan.title')),
      emptyNote(t('plan.nobody'), me && me.is_admin
        ? { href: '#/people', label: t('firstHour.planNextAdmin'), testid: 'plan-next' } : null));
  }

  const choices = [{ value: '', label: t('plan.choose') }];
  if (employees.length) {
    choices.push({ group: t('plan.employees'), options: employees.map((p) => ({ value: `person:${p.id}`, label: p.name })) });
  }
  if (groups.length) {
    choices.push({ group: t('plan.groups'), options: groups.map((g) => ({ value: `group:${g.id}`, label: g.name })) });
  }
  const withSelect = select(choices, { 'data-testid': 'plan-with' });
  // Filled in from the overview's suggestion or an employee's request.
  const pre = prefill(params, employees, groups);
  if (pre.with) withSelect.value = pre.with;
  const kinds = pre.kind && !KINDS.includes(pre.kind) ? [...KINDS, pre.kind] : KINDS;
  const kindName = (k) => (KINDS.includes(k) ? t(`kindsLong.${k}`) : t(`cycle.kinds.${k}`));
  const kind = select(kinds.map((k) => ({ value: k, label: kindName(k) })), { 'data-testid': 'plan-kind' }, pre.kind || 'follow_up');
  const template = select([], { 'data-testid': 'plan-template' });
  // The kind chooses the template: offer that kind's built-in and the
  // workplace's own templates of the kind.
  const fillTemplates = () => {
    const of = templates.filter((tpl) => tpl.kind === kind.value);
    replace(template, ...of.map((tpl) => el('option', { value: tpl.key }, localText(tpl.name))));
    template.value = kind.value;
  };
  kind.addEventListener('change', fillTemplates);
  fillTemplates();
  const date = el('input', { type: 'date', 'data-testid': 'plan-date', value: pre.date || nextWorkingDay() });
  const time = el('input', { type: 'time', 'data-testid': 'plan-time', value: '09:00' });

  const form = makeForm({
    key: 'plan',
    onSubmit: async () => {
      if (!withSelect.value) throw uiError('invalid_input', { field: 'with' }, withSelect);
      if (!date.value) throw uiError('invalid_date', { field: 'scheduled_at' }, date);
      const scheduledAt = toUtc(date.value, time.value || '09:00');
      if (!scheduledAt) throw uiError('invalid_date', { field: 'scheduled_at' }, date);
      const [what, id] = withSelect.value.split(':');
      if (what === 'group' && ONE_PERSON_KINDS.includes(kind.value)) {
        throw uiError('kind_needs_one_person', { kind: kind.value }, kind);
      }
      if (what === 'person' && GROUP_KINDS.includes(kind.value)) throw uiError('kind_needs_group', {}, kind);
      if (pre.request && withSelect.value === pre.with) {
        const planned = await call('plan_requested_dialogue', {
          request_id: pre.request, kind: kind.value || null, scheduled_at: scheduledAt,
        });
        app.navigate(`#/dialogue/${planned.id}`);
        return;
      }
      const result = await call('plan_dialogue', {
        person_id: what === 'person' ? Number(id) : null,
        group_id: what === 'group' ? Number(id) : null,
        kind: kind.value || null,
        scheduled_at: scheduledAt,
        template: template.value || null,
      });
      app.navigate(`#/dialogue/${result.id}`);
    },
    children: [
      field(t('plan.with'), withSelect, { required: true }),
      el('div', { class: 'field-row' },
        field(t('plan.date'), date, { required: true }),
        field(t('plan.time'), time)),
      field(t('plan.kind'), kind, { hint: t('plan.kindHint') }),
      field(t('plan.template'), template, { hint: t('plan.templateHint') }),
      el('div', { class: 'actions' },
        el('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'plan-submit' }, t('plan.submit'))),
    ],
  });

  return el('div', { class: 'page page-narrow' },
    pageHeading(t('plan.title')),
    el('p', { class: 'lead' }, t('plan.intro')),
    pre.request ? el('p', { class: 'notice', 'data-testid': 'plan-from-request' }, t('cycle.request.planning')) : null,
    form);
}

/** What the plan form starts with, from `#/plan?person=…&kind=…&date=…&request=…`. */
export function prefill(params, employees, groups) {
  const out = {};
  const person = Number(params.person);
  const group = Number(params.group);
  if (person && employees.some((p) => p.id === person)) out.with = `person:${person}`;
  else if (group && groups.some((g) => g.id === group)) out.with = `group:${group}`;
  if (typeof params.kind === 'string' && /^[a-z_]{1,20}$/.test(params.kind)) out.kind = params.kind;
  if (typeof params.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(params.date)) out.date = params.date;
  const request = Number(params.request);
  if (request && out.with && out.with.startsWith('person:')) out.request = request;
  return out;
}
