// The follow-up cycle's pure pieces: the plan form filled in from the
// overview or a request, the gentle hint on many agreements, and the
// "since last time" section's presence.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { installFakeDom } from './fake-dom.mjs';

let i18n; let plan; let cancel; let since; let requests;
before(async () => {
  installFakeDom();
  i18n = await import('../../ui/js/i18n.js');
  await i18n.loadLocales();
  plan = await import('../../ui/js/views/plan.js');
  cancel = await import('../../ui/js/views/cancel.js');
  since = await import('../../ui/js/views/since.js');
  requests = await import('../../ui/js/views/requests.js');
  i18n.setLocale('en');
});

const employees = [{ id: 3, name: 'Erik' }];
const groups = [{ id: 2, name: 'Team Nord' }];

test('the plan form takes who, kind, date and request from the link, and only known people', () => {
  const href = requests.planHref({ person: 3, kind: 'follow_up', on: '2027-04-05', request: 9 });
  const params = Object.fromEntries(new URLSearchParams(href.split('?')[1]));
  assert.deepEqual(plan.prefill(params, employees, groups),
    { with: 'person:3', kind: 'follow_up', date: '2027-04-05', request: 9 });
  assert.deepEqual(plan.prefill({ group: '2', kind: 'grus' }, employees, groups), { with: 'group:2', kind: 'grus' });
  // Someone not mine, a kind that is not a word, a date that is not one.
  assert.deepEqual(plan.prefill({ person: '4', kind: '<b>', date: 'soon', request: '9' }, employees, groups), {});
  // A request only with the person who asked.
  assert.equal(plan.prefill({ group: '2', request: '9' }, employees, groups).request, undefined);
});

test('more than three agreements earn a hint, never fewer', () => {
  const view = (n) => ({ agreements: Array.from({ length: n }, (_, i) => ({ id: i })) });
  assert.equal(cancel.manyAgreementsHint(view(3)), null);
  const hint = cancel.manyAgreementsHint(view(4));
  assert.ok(hint, 'a hint at four');
  assert.equal(hint.getAttribute('data-testid'), 'agreements-many-hint');
});

test('since last time opens a follow-up, MUS or GRUS even when empty, and an ad hoc talk only when there is something', () => {
  const parts = { historyList: () => null, stateForm: () => null, section: (key) => ({ key }) };
  for (const kind of ['follow_up', 'mus', 'grus']) {
    assert.deepEqual(since.sinceSection({ kind, since_last_time: [] }, null, parts), { key: 'since' });
  }
  assert.equal(since.sinceSection({ kind: 'ad_hoc', since_last_time: [] }, null, parts), null);
});
