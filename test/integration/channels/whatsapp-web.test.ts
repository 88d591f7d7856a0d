// A linked WhatsApp number end to end on the real server, with a real NoAuth whatsapp-web.js Client whose
// browser calls are stubbed: start from the console, QR reaching only admins, catch-up on ready, message_create +
// message stored once through the durable intake, @lid reply address kept exact, replies sent with sendSeen:false,
// acks → statuses, media that downloads nothing, disconnect alert (socket + audit), stop, and 409 for webhook channels.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { Session, collect, nextEvent } from '../../helpers/http.js';
import { createFakeWweb, rawMessage, RAW_SAMPLE, type FakeWweb } from '../../fakes/wweb-client.js';
import { MessageModel } from '../../../server/src/models/message.js';
import { ConversationModel } from '../../../server/src/models/conversation.js';
import { AuditEntryModel } from '../../../server/src/models/audit-entry.js';
import { WebhookEventModel } from '../../../server/src/models/webhook-event.js';

let srv: TestServer;
let admin: Session;
let agent: Session;
let channelId: string;
let fake: FakeWweb;

async function waitFor<T>(fn: () => Promise<T | null | undefined | false>, what: string, ms = 5_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

before(async () => {
  srv = await startTestServer();
  admin = new Session(srv.baseUrl);
  await admin.login(srv.admin.email, srv.admin.password);
  const u = await admin.post('/api/users', {
    email: 'agent@parley.test',
    name: 'Agent',
    role: 'agent',
    password: 'a-good-password',
    channelIds: [],
  });
  assert.equal(u.status, 201, JSON.stringify(u.body));
  agent = new Session(srv.baseUrl);
  await agent.login('agent@parley.test', 'a-good-password');
  const c = await admin.post('/api/channels', { kind: 'whatsapp-web', name: 'Tienda' });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  channelId = c.body.id;
  fake = createFakeWweb();
  srv.server.whatsappWeb.setClientFactory(() => fake.client);
});
after(() => srv.close());

test('linking: start, live QR to admins only, ready with catch-up of unread messages', async () => {
  const adminSock = await admin.socket();
  const agentSock = await agent.socket();
  const agentQrs = collect(agentSock, 'channel:qr');
  const agentStates = collect(agentSock, 'channel:state');

  const r = await admin.post(`/api/channels/${channelId}/start`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.state, 'authenticating');
  await srv.server.whatsappWeb.whenSettled(channelId);
  assert.deepEqual(fake.calls, ['initialize']);

  const qr = nextEvent<{ channelId: string; qr: string }>(adminSock, 'channel:qr');
  fake.client.emit('qr', '2@first-qr');
  assert.deepEqual(await qr, { channelId, qr: '2@first-qr' });
  const qr2 = nextEvent<{ qr: string }>(adminSock, 'channel:qr');
  fake.client.emit('qr', '2@rotated-qr');
  assert.equal((await qr2).qr, '2@rotated-qr');

  // While down, the customer wrote twice; the first one also arrives live (stored once).
  const early = fake.message(rawMessage({ idPart: 'EARLY1', body: 'hola?' }));
  const early2 = fake.message(rawMessage({ idPart: 'EARLY2', body: 'sigue ahí?' }));
  fake.chats = [
    { id: { _serialized: RAW_SAMPLE.from }, unreadCount: 2, fetchMessages: async () => [early, early2] },
    {
      id: { _serialized: '1203630@g.us' },
      isGroup: true,
      unreadCount: 5,
      fetchMessages: async () => {
        throw new Error('groups are not fetched');
      },
    },
  ];
  fake.client.emit('message', early);
  const ready = waitFor(async () => {
    const list = await admin.get('/api/channels');
    return list.body.items.find((c: { id: string; state: string }) => c.id === channelId && c.state === 'ready');
  }, 'ready state');
  fake.client.emit('authenticated');
  fake.client.emit('ready');
  await ready;
  await waitFor(
    async () =>
      (await MessageModel.countDocuments({
        channelId,
        providerMessageId: { $in: [early.id._serialized, early2.id._serialized] },
      })) === 2,
    'catch-up',
  );
  await srv.server.inbox.processor.whenIdle();
  assert.equal(await MessageModel.countDocuments({ channelId, providerMessageId: early.id._serialized }), 1);
  assert.equal(agentQrs.length, 0, 'agents never see QR codes');
  assert.equal(agentStates.length, 0);
  adminSock.close();
  agentSock.close();
});

test('message_create + message doubles store once through the durable intake, with referral and exact reply address', async () => {
  const m = fake.message(RAW_SAMPLE);
  fake.client.emit('message_create', m);
  fake.client.emit('message', m);
  await waitFor(
    () => MessageModel.findOne({ channelId, providerMessageId: m.id._serialized }).lean(),
    'stored message',
  );
  await waitFor(
    async () => (await WebhookEventModel.countDocuments({ channelId, state: { $ne: 'done' } })) === 0,
    'intake drained',
  );
  assert.equal(await MessageModel.countDocuments({ channelId, providerMessageId: m.id._serialized }), 1);
  assert.ok(
    (await WebhookEventModel.countDocuments({ source: 'whatsapp-web', channelId })) >= 2,
    'both events went through the intake',
  );
  const msg = await MessageModel.findOne({ channelId, providerMessageId: m.id._serialized }).lean();
  const conv = await ConversationModel.findById(msg!.conversationId).lean();
  assert.deepEqual(
    { kind: conv!.replyTo!.kind, value: conv!.replyTo!.value },
    { kind: 'wweb_id', value: '34699111222@c.us' },
  );
});

test('@lid sender: reply goes to the exact lid chat id with sendSeen:false; acks become statuses', async () => {
  fake.lids.set('778899@lid', { lid: '778899@lid', pn: '34611222333@c.us' });
  const m = fake.message(rawMessage({ from: '778899@lid', idPart: 'LID1', body: 'desde lid', ctwaContext: undefined }));
  fake.client.emit('message', m);
  const stored = await waitFor(
    () => MessageModel.findOne({ channelId, providerMessageId: m.id._serialized }).lean(),
    'lid message',
  );
  const conv = await ConversationModel.findById(stored.conversationId).lean();
  assert.deepEqual(
    { kind: conv!.replyTo!.kind, value: conv!.replyTo!.value },
    { kind: 'wweb_lid', value: '778899@lid' },
  );

  const r = await admin.post(`/api/conversations/${String(conv!._id)}/messages`, { text: 'Hola, ¿en qué talla?' });
  assert.ok(r.status === 201 || r.status === 202 || r.status === 200, JSON.stringify(r.body));
  const sent = await waitFor(async () => fake.sent.find((s) => s.chatId === '778899@lid'), 'send');
  assert.deepEqual(sent.options, { sendSeen: false });
  assert.equal(sent.content, 'Hola, ¿en qué talla?');
  await waitFor(() => MessageModel.findOne({ channelId, providerMessageId: sent.id }).lean(), 'outbound provider id');

  fake.client.emit('message_ack', fake.own(sent.id, '778899@lid'), 2);
  await waitFor(
    async () => (await MessageModel.findOne({ channelId, providerMessageId: sent.id }).lean())?.status === 'delivered',
    'delivered',
  );
  fake.client.emit('message_ack', fake.own(sent.id, '778899@lid'), 3);
  await waitFor(
    async () => (await MessageModel.findOne({ channelId, providerMessageId: sent.id }).lean())?.status === 'read',
    'read',
  );
});

test('media whose download gives nothing keeps the message and marks the file unavailable', async () => {
  const m = fake.message(
    rawMessage({
      idPart: 'IMG1',
      type: 'image',
      body: '',
      caption: 'mira',
      directPath: '/v/t62',
      mimetype: 'image/jpeg',
    }),
  );
  fake.media.set(m.id._serialized, undefined);
  fake.client.emit('message', m);
  const got = await waitFor(async () => {
    const doc = await MessageModel.findOne({ channelId, providerMessageId: m.id._serialized }).lean();
    return doc?.media?.state === 'unavailable' ? doc : null;
  }, 'media unavailable');
  assert.equal(got.text, 'mira');
});

test('disconnect alerts admins (channel:state with reason + audit entry); stop from the console; webhook channels refuse', async () => {
  const adminSock = await admin.socket();
  const state = waitForState(adminSock, 'disconnected');
  fake.client.emit('disconnected', 'NAVIGATION');
  const e = await state;
  assert.equal(e.reason, 'NAVIGATION');
  const audit = await waitFor(
    () => AuditEntryModel.findOne({ action: 'channel.disconnected', 'target.id': channelId }).lean(),
    'audit',
  );
  assert.equal((audit as { actor: { type: string } }).actor.type, 'system');
  assert.deepEqual((audit as { details: unknown }).details, { reason: 'NAVIGATION' });

  const stopped = await admin.post(`/api/channels/${channelId}/stop`);
  assert.equal(stopped.status, 200);
  assert.equal(stopped.body.state, 'idle');
  assert.equal(srv.server.whatsappWeb.isRunning(channelId), false);
  adminSock.close();

  const agentTry = await agent.post(`/api/channels/${channelId}/start`);
  assert.equal(agentTry.status, 403);
  const sb = await admin.post('/api/channels', { kind: 'sandbox', name: 'Demo' });
  const refused = await admin.post(`/api/channels/${sb.body.id}/start`);
  assert.equal(refused.status, 409);
  assert.equal((await admin.post('/api/channels/0123456789abcdef01234567/start')).status, 404);
});

function waitForState(
  sock: Awaited<ReturnType<Session['socket']>>,
  want: string,
): Promise<{ state: string; reason?: string }> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no ${want} state`)), 5_000);
    sock.on('channel:state', (e) => {
      if (e.state !== want) return;
      clearTimeout(t);
      resolve({ state: e.state, reason: e.reason ?? undefined });
    });
  });
}
