// Good examples (cases): anyone writes one up, keeps it to themselves or
// shares it with the workplace; shared cases are listed and searchable.

import { el, replace } from '../dom.js';
import { t, formatDateTime } from '../i18n.js';
import { call } from '../ipc.js';
import {
  field, checkField, makeForm, input, pageHeading, section, emptyNote, badge, actionButton, messages,
} from '../ui.js';
import { requireText } from './common.js';

function caseItem(c, { onEdit, reload }) {
  const msgs = messages();
  let title = c.title;
  let text = c.text;
  if (c.damaged) { title = t('common.damaged', { id: c.id }); text = ''; }
  else if (c.locked) { title = t('cases.locked'); text = ''; }
  const actions = [];
  if (c.mine && !c.damaged && !c.locked) {
    actions.push(el('button', {
      type: 'button', class: 'btn btn-quiet', 'data-testid': 'case-edit',
      'aria-label': t('cases.editNamed', { title: c.title }), on: { click: () => onEdit(c) },
    }, t('common.edit')));
    actions.push(actionButton({
      label: c.shared ? t('cases.unshare') : t('cases.share'), msgs, testid: 'case-toggle-shared', className: 'btn btn-quiet',
      attrs: { 'aria-label': t('access.named', { action: c.shared ? t('cases.unshare') : t('cases.share'), text: c.title }) },
      onClick: async () => {
        await call('set_case_shared', { case_id: c.id, shared: !c.shared });
        await reload(c.shared ? t('cases.unshared') : t('cases.shared'));
      },
    }));
  }
  return el('li', { class: ['item', c.shared ? null : 'is-private'], 'data-testid': 'case-row' },
    el('h3', { 'data-testid': 'case-title' }, title),
    text ? el('p', { class: 'item-text', 'data-testid': 'case-text' }, text) : null,
    el('p', { class: 'item-meta' },
      badge(c.shared ? t('cases.sharedBadge') : t('cases.privateBadge'), c.shared ? 'neutral' : 'private',
        { 'data-testid': 'case-visibility' }), ' ',
      t('cases.byLine', { name: c.mine ? t('cases.you') : c.author.name, date: formatDateTime(c.updated_at) }),
      c.dialogue_id ? [' · ', el('a', { href: `#/dialogue/${c.dialogue_id}` }, t('cases.fromDialogue'))] : null),
    actions.length ? el('div', { class: 'item-actions' }, ...actions, ...msgs.nodes) : null);
}

export async function render({ params }) {
  // Written from a dialogue (#/cases?dialogue=12): the first new example links to it.
  let fromDialogue = params && params.dialogue ? Number(params.dialogue) : null;
  const listHost = el('div', { 'data-testid': 'case-list' });
  const formHost = el('div');
  const status = el('p', { class: 'msg msg-status', role: 'status', 'data-testid': 'case-page-status' });
  let query = '';

  async function reload(message = '') {
    const list = query ? await call('search_cases', { query }) : await call('cases');
    replace(listHost, list.length
      ? el('ul', { class: 'item-list' }, ...list.map((c) => caseItem(c, { onEdit: drawForm, reload })))
      : emptyNote(query ? t('cases.noneFound', { query }) : t('cases.empty')));
    status.textContent = message;
  }

  function drawForm(existing = null) {
    const title = input({ 'data-testid': 'case-title-input', maxlength: '100', props: { value: existing ? existing.title : '' } });
    const text = el('textarea', { 'data-testid': 'case-text-input', rows: '6', maxlength: '20000' });
    text.value = existing ? existing.text : '';
    const shared = el('input', { type: 'checkbox', 'data-testid': 'case-shared', props: { checked: existing ? existing.shared : false } });
    const dialogueId = existing ? existing.dialogue_id : fromDialogue;
    const form = makeForm({
      key: 'case-form',
      onSubmit: async () => {
        const args = {
          title: requireText(title, 'title'),
          text: requireText(text, 'text'),
          shared: shared.checked,
          dialogue_id: dialogueId || null,
        };
        if (existing) await call('update_case', { case_id: existing.id, ...args });
        else { await call('add_case', args); fromDialogue = null; }
        drawForm();
        await reload(existing ? t('cases.saved') : t('cases.added'));
      },
      children: [
        dialogueId ? el('p', { class: 'hint' }, t('cases.fromDialogueHint')) : null,
        field(t('cases.titleLabel'), title, { required: true }),
        field(t('cases.textLabel'), text, { hint: t('cases.textHint'), required: true }),
        checkField(t('cases.sharedLabel'), shared, { hint: t('cases.sharedHint') }),
        el('div', { class: 'actions' },
          el('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'case-submit' },
            existing ? t('common.save') : t('cases.submit')),
          existing ? [' ', el('button', { type: 'button', class: 'btn btn-quiet', on: { click: () => drawForm() } },
            t('common.cancel'))] : null),
      ],
    });
    replace(formHost,
      el('h2', { id: 'h-case-form', tabindex: '-1' }, existing ? t('cases.editTitle') : t('cases.newTitle')),
      form);
    if (existing) title.focus();
  }

  const search = input({ type: 'search', 'data-testid': 'case-search', maxlength: '200' });
  const searchForm = makeForm({
    key: 'case-search-form',
    label: t('cases.searchLabel'),
    onSubmit: async () => {
      query = search.value.trim();
      await reload();
    },
    children: [
      field(t('cases.searchLabel'), search, { hint: t('cases.searchHint') }),
      el('div', { class: 'actions' },
        el('button', {
          type: 'submit', class: 'btn', 'data-testid': 'case-search-submit', 'aria-label': t('access.searchCases'),
        }, t('cases.searchSubmit'))),
    ],
  });

  await reload();
  drawForm();
  return el('div', { class: 'page' },
    pageHeading(t('cases.title')),
    el('p', { class: 'lead' }, t('cases.intro')),
    el('section', { class: 'section', 'aria-labelledby': 'h-case-form' }, formHost),
    status,
    section(t('cases.listTitle'), { testid: 'case-list-section' }, searchForm, listHost));
}

/** Nothing is kept between renders; the app calls this on lock all the same. */
export function reset() {}
