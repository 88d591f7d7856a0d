// Outbound over the real server against the fake Graph API: agent replies are queued then sent exactly once,
// transient provider errors retried without double-sending, permanent ones shown on the message, the reply
// window enforced, statuses that beat the send response applied, notes never sent, attachments uploaded.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestServer } from '../../helpers/server.js';
import { startWorld, waitFor, type World } from '../../helpers/world.js';
import { Session, nextEvent } from '../../helpers/http.js';
import { WA, cloudStatus, cloudText, postWebhook } from '../../helpers/webhooks.js';
import { type FakeGraphServer, graphError } from '../../fakes/graph-server.js';
import { MessageModel } from '../../../server/src/models/message.js';
import { ConversationModel } from '../../../server/src/models/conversation.js';

const PHONE_ID = WA.phoneNumberId;
const SECRET = WA.appSecret;
let world: World;
let srv: TestServer;
let graph: FakeGraphServer;
let admin: Session;
let seq = 0;

before(async () => {
  world = await startWorld();
  ({ srv, graph, admin } = world);
});
after(() => world.close());

/** A customer writes; resolves with the conversation id once it exists. */
async function customerWrites(waId: string, text = 'Hola'): Promise<string> {
  const id = `wamid.IN${++seq}${Date.now()}`;
  const r = await postWebhook(srv.baseUrl, 'whatsapp', cloudText({ phoneNumberId: PHONE_ID, waId, id, text }), SECRET);
  assert.equal(r.status, 200);
  for (let i = 0; i < 100; i++) {
    const m = await MessageModel.findOne({ providerMessageId: id }).lean();
    if (m) {
      // The conversation (window, preview) is updated right after the message is stored: wait for that too.
      await srv.server.inbox.processor.whenIdle();
      return String(m.conversationId);
    }
    await new Promise((res) => setTimeout(res, 20));
  }
  throw new Error('inbound message was not ingested');
}

const message = (id: string) => MessageModel.findById(id).lean();

test('a reply is stored queued, sent once through the Graph API, and its ticks follow the status webhooks', async () => {
  const conv = await customerWrites('34600000001');
  const sock = await admin.socket();
  const sent = graph.sends().length;
  const r = await admin.post(`/api/conversations/${conv}/messages`, { text: 'Sí, la tenemos en M <b>azul</b>' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.status, 'queued');
  assert.equal(r.body.direction, 'out');
  const stored = await waitFor(async () => {
    const m = await message(r.body.id);
    return m?.status === 'sent' && m;
  }, 'status sent');
  assert.equal(graph.sends().length, sent + 1);
  const req = graph.sends().at(-1)!;
  assert.equal(req.path, `/v23.0/${PHONE_ID}/messages`);
  assert.equal(req.headers.authorization, `Bearer ${WA.accessToken}`);
  assert.deepEqual(req.json.text, { body: 'Sí, la tenemos en M <b>azul</b>', preview_url: false });
  assert.equal(req.json.to, '34600000001');

  // The "sent" event of this message may still be on its way to the socket: wait for the "read" one.
  const read = nextEvent<{ messageId: string; status: string }>(
    sock,
    'message:status',
    3000,
    (e) => e.messageId === r.body.id && e.status === 'read',
  );
  await postWebhook(
    srv.baseUrl,
    'whatsapp',
    cloudStatus({ phoneNumberId: PHONE_ID, id: stored.providerMessageId!, status: 'read' }),
    SECRET,
  );
  const ev = await read;
  assert.equal(ev.messageId, r.body.id);
  assert.equal(ev.status, 'read');
  // A late "delivered" never moves read backwards.
  await postWebhook(
    srv.baseUrl,
    'whatsapp',
    cloudStatus({ phoneNumberId: PHONE_ID, id: stored.providerMessageId!, status: 'delivered' }),
    SECRET,
  );
  await new Promise((res) => setTimeout(res, 200));
  assert.equal((await message(r.body.id))!.status, 'read');
  sock.close();
});

test('transient errors (500, 130429) are retried with backoff and the message is sent exactly once', async () => {
  const conv = await customerWrites('34600000002');
  graph.replyNext(graphError(500), graphError(130429));
  const before = graph.sends().length;
  const r = await admin.post(`/api/conversations/${conv}/messages`, { text: 'retry me' });
  const m = await waitFor(async () => {
    const x = await message(r.body.id);
    return x?.status === 'sent' && x;
  }, 'sent after retries');
  assert.equal(graph.sends().length - before, 3, 'two refused attempts and one success');
  assert.equal(m.outbox?.attempts, 3);
  assert.equal(m.outbox?.state, 'done');
});

test('permanent errors mark the message failed with a human reason, without retry', async () => {
  const conv = await customerWrites('34600000003');
  graph.replyNext(graphError(131047));
  const before = graph.sends().length;
  const sock = await admin.socket();
  const updated = nextEvent<{ message: { id: string; status: string; statusReason?: string } }>(
    sock,
    'message:updated',
  );
  const r = await admin.post(`/api/conversations/${conv}/messages`, { text: 'too late' });
  const ev = await updated;
  assert.equal(ev.message.id, r.body.id);
  assert.equal(ev.message.status, 'failed');
  assert.match(ev.message.statusReason ?? '', /24 hours/);
  const m = (await message(r.body.id))!;
  assert.equal(m.error?.code, '131047');
  assert.equal(graph.sends().length - before, 1);
  sock.close();
});

test('a dropped connection after the request was sent is never retried (no double send)', async () => {
  const conv = await customerWrites('34600000004');
  graph.replyNext('drop');
  const before = graph.sends().length;
  const r = await admin.post(`/api/conversations/${conv}/messages`, { text: 'maybe delivered' });
  const m = await waitFor(async () => {
    const x = await message(r.body.id);
    return x?.status === 'failed' && x;
  }, 'failed');
  await new Promise((res) => setTimeout(res, 300));
  assert.equal(graph.sends().length - before, 1);
  assert.equal(m.error?.code, 'network');
});

test('a status that arrives before the send call returns is applied afterwards', async () => {
  const conv = await customerWrites('34600000005');
  graph.replyNext({
    status: 200,
    body: { messaging_product: 'whatsapp', messages: [{ id: 'wamid.EARLYBIRD' }] },
    delayMs: 400,
  });
  const r = await admin.post(`/api/conversations/${conv}/messages`, { text: 'fast reader' });
  await waitFor(async () => graph.sends().some((s) => s.json?.text?.body === 'fast reader'), 'send request');
  await postWebhook(
    srv.baseUrl,
    'whatsapp',
    cloudStatus({ phoneNumberId: PHONE_ID, id: 'wamid.EARLYBIRD', status: 'delivered' }),
    SECRET,
  );
  const m = await waitFor(async () => {
    const x = await message(r.body.id);
    return x?.status === 'delivered' && x;
  }, 'delivered applied after send returned');
  assert.equal(m.providerMessageId, 'wamid.EARLYBIRD');
});

test('outside the 24-hour window free text is refused with 422 window_closed; a template goes out', async () => {
  const conv = await customerWrites('34600000006');
  await ConversationModel.updateOne({ _id: conv }, { $set: { lastInboundAt: new Date(Date.now() - 25 * 3600_000) } });
  const before = graph.sends().length;
  const refused = await admin.post(`/api/conversations/${conv}/messages`, { text: 'hello again' });
  assert.equal(refused.status, 422);
  assert.equal(refused.body.error.code, 'window_closed');
  assert.match(refused.body.error.message, /template/);
  // Only approved templates can be sent (customer protection): register this one first.
  await admin.post('/api/templates', {
    name: 'order_update',
    language: 'es',
    category: 'utility',
    body: 'Pedido {{1}} en camino',
    approved: true,
  });
  const tpl = await admin.post(`/api/conversations/${conv}/messages`, {
    template: { name: 'order_update', language: 'es', params: ['M'] },
  });
  assert.equal(tpl.status, 201, JSON.stringify(tpl.body));
  await waitFor(async () => (await message(tpl.body.id))?.status === 'sent', 'template sent');
  assert.equal(graph.sends().length - before, 1);
  const body = graph.sends().at(-1)!.json;
  assert.equal(body.type, 'template');
  assert.deepEqual(body.template, {
    name: 'order_update',
    language: { code: 'es' },
    components: [{ type: 'body', parameters: [{ type: 'text', text: 'M' }] }],
  });
});

test('private notes are stored and shown but never sent', async () => {
  const conv = await customerWrites('34600000007');
  const before = graph.sends().length;
  const r = await admin.post(`/api/conversations/${conv}/messages`, { note: 'VIP customer, offer free shipping' });
  assert.equal(r.status, 201);
  assert.equal(r.body.kind, 'note');
  await new Promise((res) => setTimeout(res, 200));
  assert.equal(graph.sends().length, before);
});

test('bad bodies are 400 and change nothing; unknown conversations are 404', async () => {
  const conv = await customerWrites('34600000008');
  const count = await MessageModel.countDocuments({ conversationId: conv });
  for (const body of [
    {},
    { text: '' },
    { text: 'a', note: 'b' },
    { text: 'x'.repeat(5000) },
    { template: { name: '' } },
  ]) {
    const r = await admin.post(`/api/conversations/${conv}/messages`, body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.body.error.code, 'invalid_input');
  }
  assert.equal(await MessageModel.countDocuments({ conversationId: conv }), count);
  assert.equal((await admin.post('/api/conversations/000000000000000000000000/messages', { text: 'x' })).status, 404);
});

test('an image attachment is uploaded to the Graph API then sent by media id, and served back to the team', async () => {
  const conv = await customerWrites('34600000009');
  const png = Buffer.from(
    '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201b2c0a8e80000000049454e44ae426082',
    'hex',
  );
  const form = new FormData();
  form.append('file', new Blob([png], { type: 'image/png' }), 'colour.png');
  form.append('caption', 'This one?');
  const res = await fetch(`${srv.baseUrl}/api/conversations/${conv}/attachments`, {
    method: 'POST',
    headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken },
    body: form,
  });
  assert.equal(res.status, 201);
  const msg = (await res.json()) as { id: string; kind: string; media?: { url: string } };
  assert.equal(msg.kind, 'image');
  assert.ok(msg.media?.url);
  await waitFor(async () => (await message(msg.id))?.status === 'sent', 'image sent');
  const upload = graph.requests.find((r) => r.path === `/v23.0/${PHONE_ID}/media`);
  assert.ok(upload, 'media uploaded first');
  const send = graph.sends().at(-1)!.json;
  assert.equal(send.type, 'image');
  assert.equal(send.image.caption, 'This one?');
  assert.ok(send.image.id);
  const served = await fetch(srv.baseUrl + msg.media!.url, { headers: { cookie: admin.cookie } });
  assert.equal(served.status, 200);
  assert.equal(served.headers.get('content-type'), 'image/png');
  assert.deepEqual(Buffer.from(await served.arrayBuffer()), png);
  assert.equal((await fetch(srv.baseUrl + msg.media!.url)).status, 401);
});
