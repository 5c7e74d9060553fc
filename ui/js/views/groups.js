// Groups (administrators): personnel groups for group dialogues (GRUS).

import { el, replace } from '../dom.js';
import { t } from '../i18n.js';
import { call } from '../ipc.js';
import { field, makeForm, input, select, pageHeading, emptyNote, uiError } from '../ui.js';
import { requireText } from './common.js';

export async function render() {
  let [groups, people] = await Promise.all([call('list_groups'), call('list_people')]);
  const listHost = el('div');
  const formHost = el('section', { class: 'section', 'aria-labelledby': 'h-group-form' });
  let lastStatus = null;

  function drawList() {
    if (!groups.length) { replace(listHost, emptyNote(t('groups.empty'), { text: t('firstHour.groupsNext') })); return; }
    replace(listHost, el('ul', { class: 'item-list' }, ...groups.map((g) => {
      const edit = el('button', {
        type: 'button', class: 'btn btn-quiet', 'data-testid': 'group-edit',
        'aria-label': t('groups.editNamed', { name: g.name }),
      }, t('common.edit'));
      edit.addEventListener('click', () => drawForm(g, true));
      return el('li', { class: 'item', 'data-testid': 'group-row' },
        el('h3', { 'data-testid': 'group-row-name' }, g.name),
        el('p', {}, t('groups.leaderLine', { name: g.leader.name })),
        el('p', {}, g.members.length
          ? t('groups.membersLine', { names: g.members.map((m) => m.name).join(', ') })
          : t('groups.noMembers')),
        el('div', { class: 'item-actions' }, edit));
    })));
  }

  function drawForm(group = null, focus = false) {
    const name = input({ 'data-testid': 'group-name', maxlength: '100', props: { value: group ? group.name : '' } });
    const leader = select([{ value: '', label: t('groups.chooseLeader') }]
      .concat(people.map((p) => ({ value: String(p.id), label: p.name }))),
    { 'data-testid': 'group-leader' }, group ? String(group.leader.id) : '');
    const memberIds = new Set(group ? group.members.map((m) => m.id) : []);
    const boxes = people.map((p) => {
      const box = el('input', {
        type: 'checkbox', 'data-testid': 'group-member', value: String(p.id), id: `group-member-${p.id}`,
        props: { checked: memberIds.has(p.id) },
      });
      return el('div', { class: 'field-check' }, box, el('label', { for: box.id }, p.name));
    });
    const members = el('fieldset', { class: 'fieldset' },
      el('legend', {}, t('groups.members')), el('div', { class: 'check-grid' }, ...boxes));
    // The leader takes part as the leader, not also as a member: said at
    // the leader's own box, and again when it was ticked and saved.
    const leaderNotes = [];
    const markLeader = () => {
      for (const n of leaderNotes.splice(0)) n.remove();
      for (const box of members.querySelectorAll('input[data-testid="group-member"]')) {
        const isLeader = box.value === leader.value;
        box.disabled = isLeader;
        if (isLeader) {
          const note = el('span', { class: 'group-leader-note', 'data-testid': 'group-member-leader' },
            t('firstHour.leaderMarked'));
          box.parentElement.appendChild(note);
          leaderNotes.push(note);
        }
      }
    };
    leader.addEventListener('change', markLeader);
    markLeader();

    const form = makeForm({
      key: 'group-form',
      onSubmit: async () => {
        const value = requireText(name, 'name');
        if (!leader.value) throw uiError('invalid_input', { field: 'leader_id' }, leader);
        const ticked = [...form.querySelectorAll('input[data-testid="group-member"]:checked')].map((b) => Number(b.value));
        const leaderId = Number(leader.value);
        const ids = ticked.filter((id) => id !== leaderId);
        await call('save_group', {
          group_id: group ? group.id : null, name: value, leader_id: leaderId, member_ids: ids,
        });
        groups = await call('list_groups');
        lastStatus = group ? t('groups.saved', { name: value }) : t('groups.created', { name: value });
        if (ids.length !== ticked.length) {
          const chosen = people.find((p) => p.id === leaderId);
          lastStatus = `${lastStatus} ${t('firstHour.leaderNotMember', { name: chosen ? chosen.name : '' })}`;
        }
        drawList();
        drawForm(null, true);
      },
      children: [
        field(t('groups.name'), name, { required: true }),
        field(t('groups.leader'), leader, { hint: t('groups.leaderHint'), required: true }),
        members,
        el('div', { class: 'actions' },
          el('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'group-submit' },
            group ? t('groups.saveSubmit') : t('groups.createSubmit')),
          group ? [' ', el('button', {
            type: 'button', class: 'btn btn-quiet', on: { click: () => drawForm(null, true) },
          }, t('common.cancel'))] : null),
      ],
    });
    replace(formHost,
      el('h2', { id: 'h-group-form', tabindex: '-1' }, group ? t('groups.editTitle', { name: group.name }) : t('groups.newTitle')),
      form);
    if (lastStatus) { form.msgs.showStatus(lastStatus); lastStatus = null; }
    if (focus) name.focus();
  }

  drawList();
  drawForm();
  return el('div', { class: 'page' },
    pageHeading(t('groups.title')),
    el('p', { class: 'lead' }, t('groups.intro')),
    el('section', { class: 'section', 'aria-labelledby': 'h-group-list' },
      el('h2', { id: 'h-group-list' }, t('groups.listTitle')), listHost),
    formHost);
}
