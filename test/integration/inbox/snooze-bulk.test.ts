// Snooze, pending and bulk actions over the real server: a snooze needs a future time within a year (400 naming
// `until` otherwise, nothing changed); the customer's next message reopens a snoozed conversation, and so does the
// sweep once the time has come — once, even with two sweeps racing; agents cannot snooze or bulk-change another
// channel's conversation (404 per id, untouched); the list filters by status.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Session } from '../../helpers/http.js';
import { msCustomerWrites, staff, startWorld, waCustomerWrites, waitFor, type World } from '../../helpers/world.js';
import { reopenDueSnoozes } from '../../../server/src/inbox/snooze-sweep.js';
import { EventBus } from '../../../server/src/events/bus.js';
import { ConversationModel } from '../../../server/src/models/conversation.js';

let w: World;
let agent: Session;
let marketer: Session;
let waConv: string;
let msConv: string;
const HOUR = 3_600_000;
const inHours = (h: number) => new Date(Date.now() + h * HOUR).toISOString();

before(async () => {
  w = await startWorld({ SNOOZE_SWEEP_MS: '200' });
  ({ conversationId: waConv } = await waCustomerWrites(w, '34600333444', 'Hola'));
  ({ conversationId: msConv } = await msCustomerWrites(w, '990022'));
  const channels = (await w.admin.get('/api/channels')).body.items as Array<{ id: string; kind: string }>;
  agent = (await staff(w, 'agent', [channels.find((c) => c.kind === 'whatsapp-cloud')!.id])).session;
  marketer = (await staff(w, 'marketer')).session;
});
after(() => w.close());

const statusOf = async (id: string) => (await w.admin.get(`/api/conversations/${id}`)).body.status as string;

test('bad snooze times → 400 naming until; forbidden callers → 403/404; nothing changed', async () => {
  const cases: [unknown, RegExp][] = [
    [{ until: new Date(Date.now() - 60_000).toISOString() }, /until: must be in the future/],
    [{ until: inHours(24 * 400) }, /until: must be within a year/],
    [{ until: 'tomorrow' }, /until/],
    [{}, /until/],
    [{ until: inHours(1), note: 'x' }, /note/],
  ];
  for (const [body, field] of cases) {
    const r = await agent.post(`/api/conversations/${waConv}/snooze`, body);
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.match(r.body.error.message, field);
  }
  assert.equal((await agent.post(`/api/conversations/${msConv}/snooze`, { until: inHours(1) })).status, 404);
  assert.equal((await marketer.post(`/api/conversations/${waConv}/snooze`, { until: inHours(1) })).status, 403);
  assert.equal((await new Session(w.srv.baseUrl).post(`/api/conversations/${waConv}/snooze`, {})).status, 403);
  assert.equal(await statusOf(waConv), 'open');
  assert.equal(await statusOf(msConv), 'open');
});

test("a snoozed conversation reopens on the customer's next message", async () => {
  const until = inHours(3);
  const r = await agent.post(`/api/conversations/${waConv}/snooze`, { until });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.status, 'snoozed');
  assert.equal(r.body.snoozedUntil, until);
  const listed = await agent.get('/api/conversations?status=snoozed');
  assert.deepEqual(
    listed.body.items.map((c: { id: string }) => c.id),
    [waConv],
  );
  await waCustomerWrites(w, '34600333444', '¿Seguís ahí?');
  const after = (await w.admin.get(`/api/conversations/${waConv}`)).body;
  assert.equal(after.status, 'open');
  assert.equal(after.snoozedUntil, null);
  assert.equal(after.lastMessagePreview, '¿Seguís ahí?');
});

test('the sweep reopens a snoozed conversation at its time', async () => {
  const r = await agent.post(`/api/conversations/${waConv}/snooze`, {
    until: new Date(Date.now() + 1_000).toISOString(),
  });
  assert.equal(r.status, 200);
  assert.equal(await statusOf(waConv), 'snoozed', 'not before its time');
  await waitFor(async () => (await statusOf(waConv)) === 'open', 'the sweep to reopen it', 6_000);
});

test('two sweeps racing reopen a due conversation once', async () => {
  await ConversationModel.updateOne(
    { _id: msConv },
    { $set: { status: 'snoozed', snoozedUntil: new Date(Date.now() - 1_000) } },
  );
  const bus = new EventBus(() => {});
  const counts = await Promise.all([reopenDueSnoozes({ bus }), reopenDueSnoozes({ bus })]);
  assert.equal(counts[0] + counts[1] <= 1, true, `reopened ${counts.join(' + ')} times`);
  assert.equal(await statusOf(msConv), 'open');
  assert.equal(await reopenDueSnoozes({ bus }), 0);
});

test('pending: set by an agent, listed by status; not for another channel', async () => {
  const r = await agent.post(`/api/conversations/${waConv}/pending`);
  assert.equal(r.status, 200);
  assert.equal(r.body.status, 'pending');
  assert.deepEqual(
    (await agent.get('/api/conversations?status=pending')).body.items.map((c: { id: string }) => c.id),
    [waConv],
  );
  assert.equal((await agent.post(`/api/conversations/${msConv}/pending`)).status, 404);
  assert.equal(await statusOf(msConv), 'open');
});

test('bulk close: per-id results, another channel’s conversation is not_found and untouched', async () => {
  const r = await agent.post('/api/conversations/bulk', {
    ids: [waConv, msConv, '0123456789abcdef01234567'],
    action: { type: 'close' },
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(
    r.body.results.map((x: { id: string; ok: boolean; error?: { code: string } }) => [x.id, x.ok, x.error?.code]),
    [
      [waConv, true, undefined],
      [msConv, false, 'not_found'],
      ['0123456789abcdef01234567', false, 'not_found'],
    ],
  );
  assert.equal(await statusOf(waConv), 'closed');
  assert.equal(await statusOf(msConv), 'open');
  for (const [body, field] of [
    [{ ids: [], action: { type: 'close' } }, /ids/],
    [{ ids: [waConv], action: { type: 'delete' } }, /action/],
    [{ ids: ['x'], action: { type: 'close' } }, /ids/],
  ] as const) {
    const bad = await agent.post('/api/conversations/bulk', body);
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, field);
  }
  assert.equal(
    (await marketer.post('/api/conversations/bulk', { ids: [waConv], action: { type: 'close' } })).status,
    403,
  );
});

test('bulk labels and assign', async () => {
  const label = (await w.admin.post('/api/labels', { name: 'Bulk', color: '#16a34a' })).body.id;
  const r = await w.admin.post('/api/conversations/bulk', {
    ids: [waConv, msConv],
    action: { type: 'labels', add: [label] },
  });
  assert.equal(
    r.body.results.every((x: { ok: boolean }) => x.ok),
    true,
  );
  assert.deepEqual((await w.admin.get(`/api/conversations?label=${label}`)).body.items.length, 2);
  const me = (await w.admin.get('/api/auth/me')).body.user.id;
  const a = await w.admin.post('/api/conversations/bulk', { ids: [msConv], action: { type: 'assign', userId: me } });
  assert.equal(a.body.results[0].ok, true);
  assert.equal((await w.admin.get(`/api/conversations/${msConv}`)).body.assignee, me);
});
