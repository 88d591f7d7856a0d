// Labels over the real server: admins and supervisors manage them (agents and marketers get 403, signed out 401),
// everyone who reads conversations lists them; agents add/remove labels on conversations of their channels only
// (another channel's conversation is 404 and untouched); the list filters by label; conversation:updated carries
// the labels; bad input is a 400 naming the field with nothing changed; deleting a label takes it off.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Session, nextEvent } from '../../helpers/http.js';
import { channelIds, msCustomerWrites, staff, startWorld, waCustomerWrites, type World } from '../../helpers/world.js';

let w: World;
let waChannel: string;
let agent: Session;
let supervisor: Session;
let marketer: Session;
let waConv: string;
let msConv: string;

before(async () => {
  w = await startWorld();
  ({ conversationId: waConv } = await waCustomerWrites(w, '34600111222', 'Hola, ¿tenéis talla M?'));
  ({ conversationId: msConv } = await msCustomerWrites(w, '990011'));
  const channels = (await w.admin.get('/api/channels')).body.items as Array<{ id: string; kind: string }>;
  waChannel = channels.find((c) => c.kind === 'whatsapp-cloud')!.id;
  assert.ok((await channelIds(w)).length >= 2);
  agent = (await staff(w, 'agent', [waChannel])).session;
  supervisor = (await staff(w, 'supervisor')).session;
  marketer = (await staff(w, 'marketer')).session;
});
after(() => w.close());

const labelsOf = async (s: Session, id: string) => (await s.get(`/api/conversations/${id}`)).body.labels as string[];

test('admins and supervisors manage labels; agents and marketers may not; signed out is 401', async () => {
  const vip = await w.admin.post('/api/labels', { name: 'VIP', color: '#DC2626' });
  assert.equal(vip.status, 201, JSON.stringify(vip.body));
  assert.deepEqual(Object.keys(vip.body).sort(), ['color', 'id', 'name']);
  assert.equal(vip.body.color, '#dc2626');
  const sup = await supervisor.post('/api/labels', { name: 'Wholesale', color: '#2563eb' });
  assert.equal(sup.status, 201);
  assert.equal((await w.admin.post('/api/labels', { name: 'vip', color: '#16a34a' })).body.error.code, 'label_exists');

  for (const s of [agent, marketer]) {
    assert.equal((await s.post('/api/labels', { name: 'Sneaky', color: '#16a34a' })).status, 403);
    assert.equal((await s.patch(`/api/labels/${vip.body.id}`, { name: 'Hijacked' })).status, 403);
    assert.equal((await s.request('DELETE', `/api/labels/${vip.body.id}`)).status, 403);
  }
  assert.equal((await marketer.get('/api/labels')).status, 403, 'marketers do not read conversations');
  const anon = new Session(w.srv.baseUrl);
  assert.equal((await anon.get('/api/labels')).status, 401);
  const seen = await agent.get('/api/labels');
  assert.equal(seen.status, 200);
  assert.deepEqual(
    seen.body.items.map((l: { name: string }) => l.name),
    ['VIP', 'Wholesale'],
  );
  const renamed = await supervisor.patch(`/api/labels/${sup.body.id}`, { name: 'B2B', color: '#7c3aed' });
  assert.equal(renamed.status, 200);
  assert.deepEqual(renamed.body, { id: sup.body.id, name: 'B2B', color: '#7c3aed' });
  assert.equal((await w.admin.patch('/api/labels/0123456789abcdef01234567', { name: 'X' })).status, 404);
});

test('bad label bodies → 400 naming the field, nothing created', async () => {
  const before = (await w.admin.get('/api/labels')).body.items.length;
  const cases: [unknown, RegExp][] = [
    [{ name: 'Red', color: '#ff0000' }, /color/],
    [{ name: 'Red', color: 'red' }, /color/],
    [{ name: '', color: '#dc2626' }, /name/],
    [{ name: '<b>x</b>', color: '#dc2626' }, /name/],
    [{ name: 'x'.repeat(41), color: '#dc2626' }, /name/],
    [{ name: 'Red', color: '#dc2626', extra: 1 }, /extra/],
  ];
  for (const [body, field] of cases) {
    const r = await w.admin.post('/api/labels', body);
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.match(r.body.error.message, field);
  }
  assert.equal((await w.admin.get('/api/labels')).body.items.length, before);
});

test('an agent labels a conversation of its channel; the list filters by label; the socket carries labels', async () => {
  const labels = (await agent.get('/api/labels')).body.items as Array<{ id: string; name: string }>;
  const vip = labels.find((l) => l.name === 'VIP')!.id;
  const b2b = labels.find((l) => l.name === 'B2B')!.id;
  const socket = await supervisor.socket();
  try {
    const updated = nextEvent<{ conversation: { id: string; labels: string[] } }>(socket, 'conversation:updated');
    const r = await agent.post(`/api/conversations/${waConv}/labels`, { add: [vip, b2b] });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual([...r.body.labels].sort(), [vip, b2b].sort());
    const ev = await updated;
    assert.equal(ev.conversation.id, waConv);
    assert.deepEqual([...ev.conversation.labels].sort(), [vip, b2b].sort());
  } finally {
    socket.close();
  }
  const again = await agent.post(`/api/conversations/${waConv}/labels`, { add: [vip], remove: [b2b] });
  assert.deepEqual(again.body.labels, [vip], 'adding twice keeps one; remove takes it off');

  const filtered = await agent.get(`/api/conversations?label=${vip}`);
  assert.deepEqual(
    filtered.body.items.map((c: { id: string }) => c.id),
    [waConv],
  );
  assert.deepEqual((await agent.get(`/api/conversations?label=${b2b}`)).body.items, []);
  const bad = await agent.get('/api/conversations?label=VIP');
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /label/);
});

test("another channel's conversation is invisible to the agent: 404, labels unchanged", async () => {
  const vip = ((await agent.get('/api/labels')).body.items as Array<{ id: string; name: string }>).find(
    (l) => l.name === 'VIP',
  )!.id;
  const r = await agent.post(`/api/conversations/${msConv}/labels`, { add: [vip] });
  assert.equal(r.status, 404);
  assert.equal(JSON.stringify(r.body).includes('990011'), false);
  assert.deepEqual(await labelsOf(w.admin, msConv), []);
  const filtered = await supervisor.get(`/api/conversations?label=${vip}`);
  assert.deepEqual(
    filtered.body.items.map((c: { id: string }) => c.id),
    [waConv],
  );
  assert.equal((await marketer.post(`/api/conversations/${waConv}/labels`, { add: [vip] })).status, 403);
});

test('bad label changes → 400 naming the field, nothing changed', async () => {
  const before = await labelsOf(w.admin, waConv);
  const cases: [unknown, RegExp][] = [
    [{ add: ['0123456789abcdef01234567'] }, /add/],
    [{ remove: ['0123456789abcdef01234567'] }, /remove/],
    [{ add: ['nope'] }, /add/],
    [{}, /add or remove/],
    [{ add: [], remove: [] }, /add or remove/],
    [{ set: [] }, /set/],
  ];
  for (const [body, field] of cases) {
    const r = await agent.post(`/api/conversations/${waConv}/labels`, body);
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.match(r.body.error.message, field);
  }
  assert.deepEqual(await labelsOf(w.admin, waConv), before);
});

test('deleting a label takes it off its conversations', async () => {
  const vip = ((await w.admin.get('/api/labels')).body.items as Array<{ id: string; name: string }>).find(
    (l) => l.name === 'VIP',
  )!.id;
  assert.equal((await w.admin.request('DELETE', `/api/labels/${vip}`)).status, 204);
  assert.equal((await w.admin.request('DELETE', `/api/labels/${vip}`)).status, 404);
  assert.deepEqual(await labelsOf(w.admin, waConv), []);
  assert.deepEqual((await w.admin.get(`/api/conversations?label=${vip}`)).body.items, []);
});
