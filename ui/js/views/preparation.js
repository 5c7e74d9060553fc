// Preparation: the dialogue's guide, and my own side's questions from its
// template, answered privately. One action shares an answer: it becomes an
// agenda point in the dialogue, which the answer then shows.

import { el } from '../dom.js';
import { t, getLocale } from '../i18n.js';
import { call } from '../ipc.js';
import { field, makeForm, messages, actionButton, badge, uiError } from '../ui.js';

/** A template text in the reader's language, or the other one when that is empty. */
export function localText(text, locale = getLocale()) {
  if (!text) return '';
  const mine = locale === 'da' ? text.da : text.en;
  const other = locale === 'da' ? text.en : text.da;
  return (mine && mine.trim()) ? mine : (other || '');
}

/** The template's guide, open until the dialogue is held. */
export function guidePart(prep, { open = true } = {}) {
  const guide = prep && localText(prep.guide);
  if (!guide) return null;
  return el('details', { class: 'guide', open, 'data-testid': 'template-guide' },
    el('summary', {}, t('prep.guide', { name: localText(prep.name) })),
    el('p', {}, guide));
}

/**
 * The preparation section. `register(key, msgs)` and `refresh(opts)` are the
 * dialogue view's, so a share redraws the agenda too.
 */
// Whether a dialogue's preparation is shown open, kept across redraws.
const openState = new Map();

export function preparationPart({ prep, dialogueId, register, refresh, sectionWithKey, planned = true }) {
  if (!prep) return null;
  const msgs = register('prep', messages());
  const parts = [];
  if (prep.damaged) {
    parts.push(el('p', { class: 'notice', role: 'alert', 'data-testid': 'prep-damaged' }, t('prep.damaged')));
  }
  const mineSections = prep.sections
    .map((s) => ({ ...s, questions: s.questions.filter((q) => q.mine) }))
    .filter((s) => s.questions.length);
  if (!mineSections.length) return null;
  parts.push(el('p', { class: 'hint' }, t('prep.private')));
  const questions = [];
  for (const s of mineSections) {
    questions.push(el('h3', {}, localText(s.title)));
    questions.push(el('ol', { class: 'item-list prep-list' }, ...s.questions.map((q) => questionItem(q))));
  }
  const all = mineSections.flatMap((s) => s.questions);
  const answered = all.filter((q) => q.answer).length;
  // Open while the talk is being prepared; afterwards one click away.
  const open = openState.has(dialogueId) ? openState.get(dialogueId) : planned;
  const details = el('details', { class: 'prep-details', open, 'data-testid': 'prep-details' },
    el('summary', {}, t('prep.show', { answered, total: all.length })), ...questions);
  details.addEventListener('toggle', () => { openState.set(dialogueId, details.open); });
  parts.push(details);
  // What the other side prepares, so neither is surprised in the talk.
  const theirs = prep.sections.flatMap((s) => s.questions.filter((q) => !q.mine));
  if (theirs.length) {
    parts.push(el('details', { class: 'prep-details', 'data-testid': 'prep-theirs' },
      el('summary', {}, t('prep.theirs', { total: theirs.length })),
      el('ul', {}, ...theirs.map((q) => el('li', {}, localText(q.text))))));
  }
  const part = sectionWithKey('prep', t('prep.title'), ...parts, ...msgs.nodes);
  part.setAttribute('data-testid', 'preparation');
  return part;

  function questionItem(q) {
    const key = `prep-${q.section}-${q.question}`;
    const answer = q.answer;
    const label = localText(q.text);
    const children = [];
    if (answer && answer.damaged) {
      children.push(el('p', { class: 'notice', 'data-testid': 'prep-answer-damaged' }, t('prep.answerDamaged')));
    }
    if (q.can_answer) {
      const text = el('textarea', { rows: '3', maxlength: '2000', 'data-testid': 'prep-answer-input' });
      if (answer && !answer.damaged) text.value = answer.text;
      const form = makeForm({
        key,
        className: 'form prep-form',
        onSubmit: async () => {
          const value = text.value.trim();
          if (!value) throw uiError('empty_text', { field: 'answer' }, text);
          await call('answer_question', {
            dialogue_id: dialogueId, section: q.section, question: q.question, text: value,
          });
          await refresh({ focus: [key], status: [key, t('prep.saved')] });
        },
        children: [
          field(label, text, { hint: t(`prep.side.${q.side}`) }),
          el('div', { class: 'actions' },
            el('button', {
              type: 'submit', class: 'btn', 'data-testid': 'prep-save',
              'aria-label': t('access.named', { action: t('prep.save'), text: label }),
            }, t('prep.save')),
            answer && answer.can_share ? [' ', shareButton(answer, key, label)] : null,
            answer && answer.shared ? [' ', badge(t('prep.shared'), 'ok', { 'data-testid': 'prep-shared' })]
            // Issue 9: said where it is written – an unshared answer is private.
              : answer ? [' ', badge(t('access.prepPrivate'), 'private', { 'data-testid': 'prep-private' })] : null),
        ],
      });
      register(key, form.msgs);
      children.push(form);
    } else {
      children.push(el('p', { class: 'item-text' }, label));
      if (answer && !answer.damaged) children.push(el('p', { class: 'prep-answer' }, answer.text));
      if (answer && answer.shared) children.push(badge(t('prep.shared'), 'ok', { 'data-testid': 'prep-shared' }));
    }
    return el('li', { class: 'item', 'data-testid': 'prep-question' }, ...children);
  }

  function shareButton(answer, key, label = '') {
    return actionButton({
      label: t('prep.share'),
      testid: 'prep-share',
      attrs: { 'aria-label': t('access.named', { action: t('prep.share'), text: label }) },
      key: `${key}-share`,
      msgs,
      onClick: async () => {
        await call('share_answer', { answer_id: answer.id });
        await refresh({ focus: [key], status: [key, t('prep.sharedNow')] });
      },
    });
  }
}
