// Templates (administrators): the built-in ones and the workplace's own,
// in Danish and English: questions, their order, which side prepares each.
// Saving never changes dialogues already planned; they keep their copy.

import { el, replace } from '../dom.js';
import { t } from '../i18n.js';
import { call } from '../ipc.js';
import { field, makeForm, messages, actionButton, badge, pageHeading, select, emptyNote } from '../ui.js';
import { KINDS } from './plan.js';
import { localText } from './preparation.js';

export const SIDES = ['employee', 'manager', 'both', 'members'];

/** A blank own template of a kind. */
export function blankTemplate(kind) {
  return { kind, name: { da: '', en: '' }, guide: { da: '', en: '' }, sections: [] };
}

/** Moves list[i] by `step` (−1 up, +1 down) if it can; returns the list. */
export function move(list, i, step) {
  const j = i + step;
  if (j < 0 || j >= list.length) return list;
  [list[i], list[j]] = [list[j], list[i]];
  return list;
}

export async function render() {
  const root = el('div', { class: 'page templates', 'data-testid': 'templates-view' });
  let list = await call('list_templates');
  let editing = null; // { key|null, draft, summary|null }
  const msgs = messages();

  async function open(key) {
    const view = await call('get_template', { key });
    editing = { key, draft: JSON.parse(JSON.stringify(view.template)), summary: view };
    draw();
    const h = root.querySelector('#h-template-editor');
    if (h) h.focus();
  }

  function draw() {
    replace(root,
      pageHeading(t('templates.title')),
      el('p', { class: 'lead' }, t('templates.intro')),
      listPart(),
      ...msgs.nodes,
      editing ? editorPart() : null);
  }

  function listPart() {
    const items = list.map((tpl) => el('li', { class: 'item', 'data-testid': 'template-item' },
      el('p', { class: 'item-text' }, localText(tpl.name) || t('templates.unnamed'), ' ',
        badge(t(`kinds.${tpl.kind}`), 'neutral')),
      el('p', { class: 'item-meta' },
        tpl.builtin ? badge(tpl.edited ? t('templates.builtinEdited') : t('templates.builtin'), 'muted')
          : badge(t('templates.own'), 'info'),
        tpl.damaged ? [' ', badge(t('templates.damaged'), 'warn', { 'data-testid': 'template-damaged' })] : null,
        ' ',
        actionButton({
          label: t('common.edit'),
          testid: 'template-edit',
          msgs,
          className: 'btn btn-small',
          attrs: { 'aria-label': t('templates.editNamed', { name: localText(tpl.name) || tpl.key }), 'data-key': tpl.key },
          onClick: () => open(tpl.key),
        }))));
    const kind = select(KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) })), { 'data-testid': 'template-new-kind' }, 'follow_up');
    const form = makeForm({
      key: 'template-new',
      className: 'form form-inline',
      onSubmit: async () => {
        editing = { key: null, draft: blankTemplate(kind.value), summary: null };
        draw();
        const h = root.querySelector('#h-template-editor');
        if (h) h.focus();
      },
      children: [
        field(t('templates.newKind'), kind),
        el('div', { class: 'actions' },
          el('button', { type: 'submit', class: 'btn', 'data-testid': 'template-new' }, t('templates.new'))),
      ],
    });
    return el('div', {},
      items.length ? el('ul', { class: 'item-list' }, ...items) : emptyNote(t('templates.none')),
      form);
  }

  /** A pair of inputs for one text in both languages, bound to obj[prop]. */
  function bilingual(label, obj, prop, { multiline = false, testid = null, maxlength = '100' } = {}) {
    const make = (lang) => {
      const attrs = { 'data-testid': testid ? `${testid}-${lang}` : null, maxlength };
      const control = multiline ? el('textarea', { rows: '3', ...attrs }) : el('input', { type: 'text', autocomplete: 'off', ...attrs });
      control.value = obj[prop][lang] || '';
      control.addEventListener('input', () => { obj[prop][lang] = control.value; });
      return field(t('templates.inLanguage', { what: label, language: t(`languages.${lang}`) }), control);
    };
    return el('div', { class: 'field-row' }, make('da'), make('en'));
  }

  function small(label, onClick, attrs = {}) {
    return el('button', { type: 'button', class: 'btn btn-small', ...attrs, on: { click: () => { onClick(); draw(); } } }, label);
  }

  function editorPart() {
    const { draft } = editing;
    const sections = draft.sections.map((s, si) => el('fieldset', { class: 'template-section', 'data-testid': 'template-section' },
      el('legend', {}, t('templates.sectionN', { n: si + 1 })),
      bilingual(t('templates.sectionTitle'), s, 'title', { testid: 'tpl-section-title' }),
      el('ol', { class: 'item-list' }, ...s.questions.map((q, qi) => {
        const side = select(SIDES.map((v) => ({ value: v, label: t(`prep.side.${v}`) })), { 'data-testid': 'tpl-question-side' }, q.side);
        side.addEventListener('change', () => { q.side = side.value; });
        return el('li', { class: 'item', 'data-testid': 'tpl-question' },
          bilingual(t('templates.question'), q, 'text', { multiline: true, testid: 'tpl-question', maxlength: '2000' }),
          field(t('templates.side'), side),
          el('div', { class: 'actions' },
            small(t('templates.up'), () => move(s.questions, qi, -1)),
            small(t('templates.down'), () => move(s.questions, qi, 1)),
            small(t('templates.removeQuestion'), () => s.questions.splice(qi, 1))));
      })),
      el('div', { class: 'actions' },
        small(t('templates.addQuestion'), () => s.questions.push({ text: { da: '', en: '' }, side: draft.kind === 'grus' ? 'members' : 'both' }), { 'data-testid': 'tpl-add-question' }),
        small(t('templates.sectionUp'), () => move(draft.sections, si, -1)),
        small(t('templates.sectionDown'), () => move(draft.sections, si, 1)),
        small(t('templates.removeSection'), () => draft.sections.splice(si, 1)))));

    const form = makeForm({
      key: 'template-editor',
      onSubmit: async () => {
        const saved = await call('save_template', { key: editing.key, template: draft });
        list = await call('list_templates');
        await open(saved.key);
        msgs.showStatus(t('templates.saved'));
      },
      children: [
        bilingual(t('templates.name'), draft, 'name', { testid: 'tpl-name' }),
        bilingual(t('templates.guide'), draft, 'guide', { multiline: true, testid: 'tpl-guide', maxlength: '20000' }),
        ...sections,
        el('div', { class: 'actions' },
          small(t('templates.addSection'), () => draft.sections.push({ title: { da: '', en: '' }, questions: [] }), { 'data-testid': 'tpl-add-section' })),
        el('p', { class: 'hint' }, t('templates.neverRetroactive')),
        el('div', { class: 'actions' },
          el('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'tpl-save' }, t('common.save')),
          editing.key && (editing.summary && (!editing.summary.builtin || editing.summary.edited || editing.summary.damaged))
            ? [' ', actionButton({
              label: editing.summary.builtin ? t('templates.reset') : t('templates.remove'),
              testid: 'tpl-reset',
              msgs,
              onClick: async () => {
                await call('reset_template', { key: editing.key });
                list = await call('list_templates');
                editing = null;
                draw();
                msgs.showStatus(t('templates.resetDone'));
              },
            })] : null),
      ],
    });
    const title = editing.key ? localText(draft.name) : t('templates.newTitle', { kind: t(`kinds.${draft.kind}`) });
    return el('section', { class: 'section', 'aria-labelledby': 'h-template-editor', 'data-testid': 'template-editor' },
      el('h2', { id: 'h-template-editor', tabindex: '-1' }, title),
      editing.summary && editing.summary.damaged ? el('p', { class: 'notice', role: 'alert' }, t('templates.damagedText')) : null,
      form);
  }

  draw();
  return root;
}
