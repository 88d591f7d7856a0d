// Conversations API over the real server: permission-scoped list and reads, filters, search, cursor paging,
// assign / transfer / close / reopen / read, channels and canned replies administration.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { Session, collect } from '../../helpers/http.js';
import { cloudText, postWebhook } from '../../helpers/webhooks.js';
import { FakeGraphServer } from '../../fakes/graph-server.js';
import { MessageModel } from '../../../server/src/models/message.js';

const A = { phoneNumberId: '109400000000001', secret: 'secret-channel-a' };
const B = { phoneNumberId: '109400000000002', secret: 'secret-channel-b' };
let srv: TestServer;
let graph: FakeGraphServer;
let admin: Session;
let channelA: string;
let channelB: string;
let seq = 0;

before(async () => {
  graph = new FakeGraphServer();
  await graph.start();
  srv = await startTestServer({
    env: {
      GRAPH_API_BASE_URL: graph.baseUrl,
      WHATSAPP_PHONE_NUMBER_ID: A.phoneNumberId,
      WHATSAPP_ACCESS_TOKEN: 'token-a',
      WHATSAPP_APP_SECRET: A.secret,
      WHATSAPP_VERIFY_TOKEN: 'verify-a',
    },
  });
  admin = new Session(srv.baseUrl);
  await admin.login(srv.admin.email, srv.admin.password);
  const created = await admin.post('/api/channels', {
    kind: 'whatsapp-cloud',
    name: 'Outlet store',
    config: {
      phoneNumberId: B.phoneNumberId,
      accessToken: 'token-b',
      appSecret: B.secret,
      verifyToken: 'verify-b',
      displayNumber: '+34 910 000 002',
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(JSON.stringify(created.body).includes('token-b'), false, 'secrets are write-only');
  channelB = created.body.id;
  const list = await admin.get('/api/channels');
  channelA = list.body.items.find(
    (c: { kind: string; id: string }) => c.kind === 'whatsapp-cloud' && c.id !== channelB,
  ).id;
});
after(async () => {
  await srv.close();
  await graph.stop();
});

async function customerWrites(ch: typeof A, waId: string, text: string): Promise<string> {
  const id = `wamid.C${++seq}${Date.now()}`;
  assert.equal(
    (
      await postWebhook(
        srv.baseUrl,
        'whatsapp',
        cloudText({ phoneNumberId: ch.phoneNumberId, waId, id, text, name: `Customer ${seq}` }),
        ch.secret,
      )
    ).status,
    200,
  );
  for (let i = 0; i < 150; i++) {
    const m = await MessageModel.findOne({ providerMessageId: id }).lean();
    if (m) return String(m.conversationId);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('not ingested');
}

async function agent(email: string, channelIds: string[], role = 'agent') {
  const r = await admin.post('/api/users', {
    email,
    name: email.split('@')[0],
    role,
    password: 'a-good-password',
    channelIds,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const s = new Session(srv.baseUrl);
  await s.login(email, 'a-good-password');
  return { s, id: r.body.id as string };
}

test('agents list and open only conversations of their channels; views are masked', async () => {
  const ca = await customerWrites(A, '34611111111', 'talla M?');
  const cb = await customerWrites(B, '34622222222', 'outlet question');
  const a = await agent('only-a@parley.test', [channelA]);
  const list = await a.s.get('/api/conversations');
  assert.equal(list.status, 200);
  const ids = list.body.items.map((c: { id: string }) => c.id);
  assert.ok(ids.includes(ca));
  assert.ok(!ids.includes(cb));
  assert.equal((await a.s.get(`/api/conversations/${cb}`)).status, 404);
  assert.equal((await a.s.get(`/api/conversations/${cb}/messages`)).status, 404);
  assert.equal((await a.s.post(`/api/conversations/${cb}/messages`, { text: 'hi' })).status, 404);
  const one = await a.s.get(`/api/conversations/${ca}`);
  assert.equal(one.body.contact.maskedPhone, '+34 6•• ••• •11');
  const raw = JSON.stringify([list.body, one.body, (await a.s.get(`/api/conversations/${ca}/messages`)).body]);
  assert.equal(raw.includes('34611111111'), false, 'the real number never reaches an agent');
  const channels = await a.s.get('/api/channels');
  assert.deepEqual(
    channels.body.items.map((c: { id: string }) => c.id),
    [channelA],
  );
  // Marketers do not read conversations at all.
  const m = await agent('mkt@parley.test', [channelA], 'marketer');
  assert.equal((await m.s.get('/api/conversations')).status, 403);
});

test('filters, search and cursor paging, newest activity first', async () => {
  for (let i = 0; i < 5; i++) await customerWrites(A, `3463333000${i}`, `pagination ${i}`);
  const page1 = await admin.get('/api/conversations?limit=2&q=pagination');
  assert.equal(page1.body.items.length, 2);
  assert.ok(page1.body.nextCursor);
  const page2 = await admin.get(
    `/api/conversations?limit=2&q=pagination&cursor=${encodeURIComponent(page1.body.nextCursor)}`,
  );
  const page3 = await admin.get(
    `/api/conversations?limit=2&q=pagination&cursor=${encodeURIComponent(page2.body.nextCursor)}`,
  );
  const all = [...page1.body.items, ...page2.body.items, ...page3.body.items];
  assert.equal(all.length, 5);
  assert.equal(new Set(all.map((c) => c.id)).size, 5);
  const times = all.map((c) => Date.parse(c.lastMessageAt));
  assert.deepEqual(
    times,
    [...times].sort((x, y) => y - x),
  );
  assert.equal(page3.body.nextCursor, null);
  assert.equal(
    (await admin.get(`/api/conversations?channel=${channelB}`)).body.items.every(
      (c: { channel: string }) => c.channel === channelB,
    ),
    true,
  );
  assert.equal((await admin.get('/api/conversations?status=bogus')).status, 400);
  assert.equal((await admin.get('/api/conversations?cursor=garbage')).status, 400);
  assert.equal(
    (await admin.get('/api/conversations?q=' + encodeURIComponent('.*('))).status,
    200,
    'regex characters are literal',
  );
});

test('assign, transfer, close, reopen and read are permission-checked and pushed live', async () => {
  const conv = await customerWrites(A, '34644444444', 'assign me');
  const a1 = await agent('a1@parley.test', [channelA]);
  const a2 = await agent('a2@parley.test', [channelA]);
  const outsider = await agent('b1@parley.test', [channelB]);
  const sock = await a2.s.socket();
  const seen = collect<{ conversation: { id: string; assignee: string | null; status: string } }>(
    sock,
    'conversation:updated',
  );

  const claim = await a1.s.post(`/api/conversations/${conv}/assign`, { userId: a1.id });
  assert.equal(claim.status, 200);
  assert.equal(claim.body.assignee, a1.id);
  const mine = await a1.s.get('/api/conversations?assignee=me');
  assert.ok(mine.body.items.some((c: { id: string }) => c.id === conv));
  const bad = await a1.s.post(`/api/conversations/${conv}/assign`, { userId: outsider.id });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error.code, 'invalid_assignee');
  const assignees = await a1.s.get(`/api/conversations/${conv}/assignees`);
  const names = assignees.body.items.map((u: { id: string }) => u.id);
  assert.ok(names.includes(a2.id) && !names.includes(outsider.id));
  assert.equal((await a1.s.post(`/api/conversations/${conv}/assign`, { userId: a2.id })).body.assignee, a2.id);
  assert.equal((await a1.s.post(`/api/conversations/${conv}/close`)).body.status, 'closed');
  assert.equal((await a1.s.post(`/api/conversations/${conv}/reopen`)).body.status, 'open');
  const read = await a1.s.post(`/api/conversations/${conv}/read`);
  assert.equal(read.body.unreadCount, 0);
  assert.equal((await outsider.s.post(`/api/conversations/${conv}/close`)).status, 404);
  await new Promise((r) => setTimeout(r, 200));
  const mineEvents = seen.filter((e) => e.conversation.id === conv);
  assert.ok(mineEvents.some((e) => e.conversation.status === 'closed'));
  assert.ok(mineEvents.some((e) => e.conversation.assignee === a2.id));
  sock.close();
});

test('channels: create validation, duplicates, in-use delete refused, admin only', async () => {
  const bad = await admin.post('/api/channels', {
    kind: 'whatsapp-cloud',
    name: 'x',
    config: { phoneNumberId: 'abc' },
  });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /phoneNumberId/);
  const dup = await admin.post('/api/channels', {
    kind: 'whatsapp-cloud',
    name: 'dup',
    config: { phoneNumberId: B.phoneNumberId, accessToken: 't', appSecret: 's', verifyToken: 'v' },
  });
  assert.equal(dup.status, 409);
  assert.equal((await admin.request('DELETE', `/api/channels/${channelB}`)).status, 409);
  const tmp = await admin.post('/api/channels', {
    kind: 'messenger',
    name: 'Page',
    config: { pageId: '200000000000009', pageToken: 'p', appSecret: 's', verifyToken: 'v' },
  });
  assert.equal(tmp.status, 201);
  assert.equal((await admin.request('DELETE', `/api/channels/${tmp.body.id}`)).status, 204);
  const a = await agent('nochan@parley.test', []);
  assert.equal((await a.s.post('/api/channels', { kind: 'sandbox', name: 'x' })).status, 403);
});

test('canned replies: admins manage, agents read', async () => {
  const c = await admin.post('/api/canned-replies', {
    shortcut: 'Shipping',
    title: 'Shipping times',
    text: 'We ship in 24–48 h.',
  });
  assert.equal(c.status, 201);
  assert.equal(c.body.shortcut, 'shipping');
  assert.equal((await admin.post('/api/canned-replies', { shortcut: 'shipping', title: 'x', text: 'y' })).status, 409);
  assert.equal(
    (await admin.post('/api/canned-replies', { shortcut: 'no spaces!', title: 'x', text: 'y' })).status,
    400,
  );
  const a = await agent('reader@parley.test', [channelA]);
  assert.ok(
    (await a.s.get('/api/canned-replies')).body.items.some((r: { shortcut: string }) => r.shortcut === 'shipping'),
  );
  assert.equal((await a.s.post('/api/canned-replies', { shortcut: 'mine', title: 'x', text: 'y' })).status, 403);
  assert.equal(
    (await admin.patch(`/api/canned-replies/${c.body.id}`, { text: 'We ship in 24 h.' })).body.text,
    'We ship in 24 h.',
  );
  assert.equal((await admin.request('DELETE', `/api/canned-replies/${c.body.id}`)).status, 204);
});
