// Home parts for issue 8: an employee's decision about sharing earlier
// dialogues with a new manager, and an administrator's reminder of what
// the workplace's retention rule would delete.

import { el } from '../dom.js';
import { t, formatNumber } from '../i18n.js';
import { call } from '../ipc.js';
import { actionButton, messages, section } from '../ui.js';

/** One question per earlier manager; each is asked once. */
export function handoverPart(questions) {
  if (!questions || !questions.length) return null;
  return questions.map((q) => {
    const names = { old: q.old_manager.name, new: q.new_manager.name };
    const msgs = messages();
    let card = null;
    // The answer takes the question's place, said where it was asked.
    const decide = (share) => async () => {
      await call('decide_handover', { old_manager_id: q.old_manager.id, share });
      const done = el('p', { class: 'notice', role: 'status', tabindex: '-1', 'data-testid': 'handover-done' },
        t(share ? 'handover.shared' : 'handover.kept', names));
      card.replaceWith(done);
      done.focus();
    };
    card = section(t('handover.title', names), { testid: 'home-handover' },
      el('p', {}, t('handover.body', {
        ...names, dialogues: formatNumber(q.dialogues), open: formatNumber(q.open_agreements),
      })),
      el('ul', { class: 'confirm-list' },
        q.open_agreements ? el('li', {}, t('handover.takeOver', { ...names, open: formatNumber(q.open_agreements) })) : null,
        el('li', {}, t('handover.private', names)),
        el('li', {}, t('handover.decline', names))),
      el('p', { class: 'hint' }, t('handover.once')),
      el('div', { class: 'actions' },
        actionButton({
          label: t('handover.share', names), msgs, testid: 'handover-share', className: 'btn btn-primary',
          attrs: { 'aria-label': t('handover.shareFor', names) }, onClick: decide(true),
        }),
        actionButton({
          label: t('handover.keep', names), msgs, testid: 'handover-keep',
          attrs: { 'aria-label': t('handover.keepFor', names) }, onClick: decide(false),
        })),
      ...msgs.nodes);
    return card;
  });
}

/** For an administrator: the retention rule has something to delete. */
export function retentionDuePart(count) {
  if (!count) return null;
  return el('p', { class: 'notice', 'data-testid': 'home-retention-due' },
    t('retentionSetting.due', { count: formatNumber(count) }), ' ',
    el('a', { href: '#/settings' }, t('retentionSetting.dueLink')));
}
