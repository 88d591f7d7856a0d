// Customer protection over the real server and the fake Graph API: opt-out keywords and STOP payloads withdraw
// marketing consent with a confirmation in the customer's language, 131050 too; report keywords file reports;
// the guard's consent, frequency and content checks refuse with 422 + a stored blocked/held message + audit;
// templates are admin-managed and only approved ones can be sent; the consent ledger API.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Types } from 'mongoose';
import type { TestServer } from '../../helpers/server.js';
import { startWorld, type World } from '../../helpers/world.js';
import { Session, collect } from '../../helpers/http.js';
import { WA, cloudValue, postWebhook } from '../../helpers/webhooks.js';
import { type FakeGraphServer, graphError } from '../../fakes/graph-server.js';
import { MessageModel } from '../../../server/src/models/message.js';
import { ConversationModel } from '../../../server/src/models/conversation.js';
import { ChannelModel } from '../../../server/src/models/channel.js';
import { AuditEntryModel } from '../../../server/src/models/audit-entry.js';
import { ConsentEventModel } from '../../../server/src/models/consent-event.js';
import { consentState } from '../../../server/src/policy/consent.js';
import { listReports } from '../../../server/src/protection/opt-out.js';
import { OPT_OUT_CONFIRMATION, REPORT_CONFIRMATION } from '../../../server/src/policy/keywords.js';

const PHONE_ID = WA.phoneNumberId;
const SECRET = WA.appSecret;
let world: World;
let srv: TestServer;
let graph: FakeGraphServer;
let admin: Session;
let agent: Session;
let seq = 0;

before(async () => {
  world = await startWorld();
  ({ srv, graph, admin } = world);
  const ch = await ChannelModel.findOne({ kind: 'whatsapp-cloud' }).lean();
  const u = await admin.post('/api/users', {
    email: 'agent7@parley.test',
    name: 'Agent Seven',
    role: 'agent',
    password: 'agent-password-123',
    channelIds: [String(ch!._id)],
  });
  assert.equal(u.status, 201, JSON.stringify(u.body));
  agent = new Session(srv.baseUrl);
  await agent.login('agent7@parley.test', 'agent-password-123');
  for (const t of [
    {
      name: 'spring_offer',
      language: 'es',
      category: 'marketing',
      body: 'Hola {{1}}, ¡20% en toda la tienda!',
      approved: true,
    },
    {
      name: 'order_update',
      language: 'es',
      category: 'utility',
      body: 'Tu pedido {{1}} está en camino.',
      approved: true,
    },
    { name: 'draft_promo', language: 'es', category: 'marketing', body: 'Promo {{1}}', approved: false },
  ]) {
    const r = await admin.post('/api/templates', t);
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
});
after(() => world.close());

async function waitFor<T>(fn: () => Promise<T | null | undefined | false>, what: string, ms = 4000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((res) => setTimeout(res, 25));
  }
}

async function inbound(waId: string, message: Record<string, unknown>): Promise<{ conv: string; msg: string }> {
  const id = `wamid.P${++seq}${Date.now()}`;
  const body = cloudValue(
    {
      contacts: [{ profile: { name: 'Cliente' }, wa_id: waId }],
      messages: [{ from: waId, id, timestamp: String(Math.floor(Date.now() / 1000)), ...message }],
    },
    PHONE_ID,
  );
  assert.equal((await postWebhook(srv.baseUrl, 'whatsapp', body, SECRET)).status, 200);
  const m = await waitFor(() => MessageModel.findOne({ providerMessageId: id }).lean(), 'inbound ingested');
  return { conv: String(m.conversationId), msg: String(m._id) };
}
const says = (waId: string, text: string) => inbound(waId, { type: 'text', text: { body: text } });
const contactOf = async (conv: string) => String((await ConversationModel.findById(conv).lean())!.contactId);
const closeWindow = (conv: string) =>
  ConversationModel.updateOne({ _id: conv }, { $set: { lastInboundAt: new Date(Date.now() - 25 * 3600_000) } });

test('"¡Baja!" withdraws marketing consent, shows a system line and confirms once in Spanish', async () => {
  const { conv } = await says('34611000001', 'Hola, info por favor');
  const contact = await contactOf(conv);
  assert.equal((await consentState(contact)).marketing, 'unknown');
  const sends = graph.sends().length;
  const { msg } = await says('34611000001', '¡Baja!');
  await waitFor(async () => (await consentState(contact)).marketing === 'withdrawn', 'withdrawn');
  const ev = await ConsentEventModel.findOne({ contactId: contact }).lean();
  assert.equal(ev!.method, 'keyword');
  assert.equal(ev!.evidence!.messageId, msg);
  assert.equal(ev!.actor.type, 'customer');
  await waitFor(async () => graph.sends().length === sends + 1, 'confirmation sent');
  assert.equal(graph.sends().at(-1)!.json.text.body, OPT_OUT_CONFIRMATION.es);
  const lines = await MessageModel.find({ conversationId: conv, kind: 'system' }).lean();
  assert.equal(lines.length, 1);
  assert.match(lines[0].text!, /opted out/);
  // The conversation view carries the consent; a sentence containing the word does nothing.
  const view = await agent.get(`/api/conversations/${conv}`);
  assert.equal(view.body.contact.consent.marketing, 'withdrawn');
  await says('34611000001', 'no quiero la baja, solo pregunto');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await ConsentEventModel.countDocuments({ contactId: contact }), 1);
  assert.equal(graph.sends().length, sends + 1);
  assert.ok(await AuditEntryModel.exists({ action: 'consent.changed', 'target.id': contact }));
});

test('a STOP quick-reply payload withdraws consent (method button)', async () => {
  const { conv } = await inbound('34611000002', {
    type: 'button',
    button: { text: 'Stop promotions', payload: 'STOP_PROMOTIONS' },
  });
  const contact = await contactOf(conv);
  await waitFor(async () => (await consentState(contact)).marketing === 'withdrawn', 'withdrawn');
  assert.equal((await ConsentEventModel.findOne({ contactId: contact }).lean())!.method, 'button');
  await waitFor(
    // No keyword to tell the language: the country of the number does (+34: Spain).
    () => MessageModel.findOne({ conversationId: conv, text: OPT_OUT_CONFIRMATION.es, status: 'sent' }).lean(),
    'confirmation',
  );
});

test('a button reply to the opt-in question template is recorded as consent with the exact question text', async () => {
  const q = await admin.post('/api/templates', {
    name: 'marketing_opt_in',
    language: 'es',
    category: 'utility',
    body: '¿Quieres recibir ofertas de {{1}}? Responde con los botones Sí / No.',
    approved: true,
  });
  assert.equal(q.status, 201);
  const { conv } = await says('34611000010', 'Hola');
  const contact = await contactOf(conv);
  const sent = await agent.post(`/api/conversations/${conv}/messages`, {
    template: { name: 'marketing_opt_in', language: 'es', params: ['Tienda Sol'] },
  });
  assert.equal(sent.status, 201, JSON.stringify(sent.body));
  const { msg } = await inbound('34611000010', {
    type: 'button',
    button: { text: 'Sí', payload: 'CONSENT_MARKETING_YES' },
  });
  await waitFor(async () => (await consentState(contact)).marketing === 'granted', 'granted by button');
  const ev = await ConsentEventModel.findOne({ contactId: contact }).lean();
  assert.equal(ev!.method, 'button');
  assert.equal(ev!.text, '¿Quieres recibir ofertas de Tienda Sol? Responde con los botones Sí / No.');
  assert.equal(ev!.textVersion, 'marketing_opt_in/es');
  assert.equal(ev!.evidence!.messageId, msg);
  const view = await agent.get(`/api/conversations/${conv}`);
  assert.equal(view.body.contact.consent.marketing, 'granted');
});

test('REPORT files an abuse report for supervisors', async () => {
  const { conv, msg } = await says('34611000003', 'REPORT');
  const mine = await waitFor(async () => (await listReports()).find((r) => r.conversationId === conv), 'report');
  assert.equal(mine.messageId, msg);
  assert.equal(mine.status, 'open');
  assert.equal(mine.language, 'en');
  assert.equal((await consentState(await contactOf(conv))).marketing, 'unknown');
  // The customer is told a supervisor will look at it (sent before the next test scripts provider errors).
  await waitFor(
    () => MessageModel.findOne({ conversationId: conv, text: REPORT_CONFIRMATION.en, status: 'sent' }).lean(),
    'report confirmation',
  );
  assert.ok(await MessageModel.exists({ conversationId: conv, kind: 'system' }));
});

test('provider error 131050 on a send withdraws marketing consent', async () => {
  const { conv } = await says('34611000004', 'Hola');
  const contact = await contactOf(conv);
  graph.replyNext(graphError(131050));
  const r = await agent.post(`/api/conversations/${conv}/messages`, { text: 'Hola, ¿en qué te ayudo?' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  await waitFor(async () => (await consentState(contact)).marketing === 'withdrawn', 'withdrawn after 131050');
  const ev = await ConsentEventModel.findOne({ contactId: contact }).lean();
  assert.equal(ev!.evidence!.messageId, r.body.id);
  const line = await waitFor(
    () => MessageModel.findOne({ conversationId: conv, kind: 'system' }).lean(),
    'system line',
  );
  assert.match(line.text!, /stopped marketing/);

  // The same error arriving later on a status webhook.
  const b = await says('34611000011', 'Hola');
  const c2 = await contactOf(b.conv);
  graph.replyNext({ status: 200, body: { messaging_product: 'whatsapp', messages: [{ id: 'wamid.OUT131050' }] } });
  const sent = await agent.post(`/api/conversations/${b.conv}/messages`, { text: 'Te escribo por tu pedido' });
  await waitFor(async () => (await MessageModel.findById(sent.body.id).lean())?.status === 'sent', 'sent');
  const status = cloudValue(
    {
      statuses: [
        {
          id: 'wamid.OUT131050',
          status: 'failed',
          timestamp: String(Math.floor(Date.now() / 1000)),
          recipient_id: '34611000011',
          errors: [{ code: 131050, title: 'User stopped marketing' }],
        },
      ],
    },
    PHONE_ID,
  );
  assert.equal((await postWebhook(srv.baseUrl, 'whatsapp', status, SECRET)).status, 200);
  await waitFor(async () => (await consentState(c2)).marketing === 'withdrawn', 'withdrawn after status 131050');
});

test('templates: admin CRUD; agents list approved ones only and cannot manage; unknown/unapproved ones are refused', async () => {
  const list = await agent.get('/api/templates');
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.items.map((t: { name: string }) => t.name).sort(), [
    'marketing_opt_in',
    'order_update',
    'spring_offer',
  ]);
  assert.equal(list.body.items.find((t: { name: string }) => t.name === 'order_update').variables, 1);
  assert.equal(
    (await agent.post('/api/templates', { name: 'x', language: 'es', category: 'utility', body: 'x' })).status,
    403,
  );
  const bad = await admin.post('/api/templates', {
    name: 'Bad Name',
    language: 'espanol',
    category: 'promo',
    body: '',
  });
  assert.equal(bad.status, 400);
  for (const f of ['name', 'language', 'category', 'body']) assert.match(bad.body.error.message, new RegExp(f));
  assert.equal(
    (await admin.post('/api/templates', { name: 'order_update', language: 'es', category: 'utility', body: 'dup' }))
      .status,
    409,
  );
  const all = await admin.get('/api/templates');
  assert.equal(all.body.items.length, 4);

  const { conv } = await says('34611000005', 'Hola');
  await closeWindow(conv);
  const unknown = await agent.post(`/api/conversations/${conv}/messages`, {
    template: { name: 'nope', language: 'es', params: [] },
  });
  assert.equal(unknown.status, 422);
  assert.equal(unknown.body.error.code, 'template_not_approved');
  const draft = await agent.post(`/api/conversations/${conv}/messages`, {
    template: { name: 'draft_promo', language: 'es', params: ['x'] },
  });
  assert.equal(draft.status, 422);
  assert.match(draft.body.error.message, /not approved/);
  const missing = await agent.post(`/api/conversations/${conv}/messages`, {
    template: { name: 'order_update', language: 'es', params: [] },
  });
  assert.equal(missing.status, 422);
  const ok = await agent.post(`/api/conversations/${conv}/messages`, {
    template: { name: 'order_update', language: 'es', params: ['#7'] },
  });
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  assert.equal(ok.body.text, 'Tu pedido #7 está en camino.');
  // Editing an approved template's text withdraws its approval.
  const id = all.body.items.find((t: { name: string }) => t.name === 'order_update').id;
  const patched = await admin.patch(`/api/templates/${id}`, { body: 'Pedido {{1}} enviado' });
  assert.equal(patched.body.approved, false);
  await admin.patch(`/api/templates/${id}`, { approved: true });
});

test('consent guard: marketing templates need a grant; opted-out contacts are refused; utility passes', async () => {
  const { conv } = await says('34611000006', 'Hola');
  const contact = await contactOf(conv);
  const mkt = { template: { name: 'spring_offer', language: 'es', params: ['Ana'] } };
  const r1 = await agent.post(`/api/conversations/${conv}/messages`, mkt);
  assert.equal(r1.status, 422);
  assert.equal(r1.body.error.code, 'consent_required');
  assert.match(r1.body.error.message, /marketing/);
  // Agent records consent with a note (note required).
  assert.equal(
    (await agent.post(`/api/contacts/${contact}/consent`, { purpose: 'marketing', action: 'granted' })).status,
    400,
  );
  const g = await agent.post(`/api/contacts/${contact}/consent`, {
    purpose: 'marketing',
    action: 'granted',
    note: 'Customer said yes to offers in chat',
  });
  assert.equal(g.status, 201, JSON.stringify(g.body));
  assert.equal(g.body.state.marketing, 'granted');
  assert.equal(g.body.events[0].method, 'agent');
  assert.equal(g.body.events[0].note, 'Customer said yes to offers in chat');
  assert.equal((await agent.post(`/api/conversations/${conv}/messages`, mkt)).status, 201);
  await agent.post(`/api/contacts/${contact}/consent`, {
    purpose: 'marketing',
    action: 'withdrawn',
    note: 'Asked by phone to stop',
  });
  const r3 = await agent.post(`/api/conversations/${conv}/messages`, mkt);
  assert.equal(r3.body.error.code, 'contact_opted_out');
  const hist = await agent.get(`/api/contacts/${contact}/consent`);
  assert.equal(hist.body.events.length, 2);
  assert.equal(hist.body.state.marketing, 'withdrawn');
  assert.equal(hist.body.state.adMeasurement, 'unknown');
  assert.equal((await agent.get(`/api/contacts/${new Types.ObjectId()}/consent`)).status, 404);
  // Service replies to an opted-out customer still go out.
  assert.equal(
    (await agent.post(`/api/conversations/${conv}/messages`, { text: 'Claro, te ayudo con tu pedido' })).status,
    201,
  );
});

test('frequency cap: no more business-initiated messages after 2 unanswered, nor more than 2 in 7 days', async () => {
  const { conv } = await says('34611000007', 'Hola');
  await closeWindow(conv);
  await MessageModel.collection.updateMany(
    { conversationId: new Types.ObjectId(conv) },
    { $set: { createdAt: new Date(Date.now() - 10 * 86400_000) } },
  );
  const tpl = { template: { name: 'order_update', language: 'es', params: ['#1'] } };
  assert.equal((await agent.post(`/api/conversations/${conv}/messages`, tpl)).status, 201);
  assert.equal((await agent.post(`/api/conversations/${conv}/messages`, tpl)).status, 201);
  const third = await agent.post(`/api/conversations/${conv}/messages`, tpl);
  assert.equal(third.status, 422);
  assert.equal(third.body.error.code, 'frequency_capped');
  assert.match(third.body.error.message, /not answered/);

  // Rolling window: one answered business message 3 days ago + one 1 day ago → the third in 7 days is refused.
  const b = await says('34611000008', 'Hola');
  const c = await ConversationModel.findById(b.conv).lean();
  const day = 86400_000;
  const base = { conversationId: c!._id, channelId: c!.channelId, contactId: c!.contactId, updatedAt: new Date() };
  await MessageModel.deleteMany({ conversationId: b.conv });
  await MessageModel.collection.insertMany([
    {
      ...base,
      direction: 'in',
      kind: 'text',
      text: 'x',
      status: 'received',
      createdAt: new Date(Date.now() - 6 * day),
    },
    {
      ...base,
      direction: 'out',
      kind: 'template',
      text: 't1',
      status: 'read',
      createdAt: new Date(Date.now() - 3 * day),
    },
    {
      ...base,
      direction: 'in',
      kind: 'text',
      text: 'y',
      status: 'received',
      createdAt: new Date(Date.now() - 2.9 * day),
    },
    {
      ...base,
      direction: 'out',
      kind: 'template',
      text: 't2',
      status: 'read',
      createdAt: new Date(Date.now() - 1 * day),
    },
  ]);
  await ConversationModel.updateOne({ _id: b.conv }, { $set: { lastInboundAt: new Date(Date.now() - 2.9 * day) } });
  const r = await agent.post(`/api/conversations/${b.conv}/messages`, tpl);
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'frequency_capped');
  assert.match(r.body.error.message, /7 days/);
  // Replies inside an open window are never capped.
  await says('34611000008', 'Otra pregunta');
  assert.equal((await agent.post(`/api/conversations/${b.conv}/messages`, { text: 'Claro' })).status, 201);
});

test('content policy: a review-for-refund offer is blocked, stored with its reason and audited; off-platform requests are held', async () => {
  const { conv } = await says('34611000009', 'El producto llegó roto');
  const sends = graph.sends().length;
  const r = await agent.post(`/api/conversations/${conv}/messages`, {
    text: "we'll refund you if you delete your review",
  });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'content_blocked');
  assert.match(r.body.error.message, /review/);
  const blocked = await MessageModel.findById(r.body.error.details.message.id).lean();
  assert.equal(blocked!.status, 'blocked');
  assert.equal(blocked!.outbox, null);
  const thread = await agent.get(`/api/conversations/${conv}/messages`);
  const shown = thread.body.items.find((m: { id: string }) => m.id === String(blocked!._id));
  assert.equal(shown.status, 'blocked');
  assert.match(shown.statusReason, /review/);
  const audit = await AuditEntryModel.findOne({ action: 'message.blocked', 'target.id': conv }).lean();
  assert.equal((audit!.details as { code: string }).code, 'content_blocked');
  assert.equal((audit!.details as { check: string }).check, 'content');
  assert.ok(!JSON.stringify(audit).includes('El producto llegó roto'));

  const supervisorSocket = await admin.socket();
  const reviews = collect<{ item: { id: string; type: string; status: string } }>(supervisorSocket, 'review:new');
  await new Promise((res) => setTimeout(res, 50));
  const h = await agent.post(`/api/conversations/${conv}/messages`, { text: 'Dame tu correo personal y lo vemos' });
  assert.equal(h.status, 422);
  assert.equal(h.body.error.code, 'held_for_review');
  const held = await MessageModel.findById(h.body.error.details.message.id).lean();
  assert.equal(held!.status, 'held');
  assert.equal(held!.outbox, null);
  // Supervisors hear of the new review item once.
  await new Promise((res) => setTimeout(res, 200));
  assert.deepEqual(
    reviews.filter((e) => e.item.id === String(held!._id)).map((e) => [e.item.type, e.item.status]),
    [['held_message', 'pending']],
  );
  supervisorSocket.close();
  assert.ok(await AuditEntryModel.exists({ action: 'message.held', 'target.id': conv }));
  assert.equal(
    (
      await agent.post(`/api/conversations/${conv}/messages`, {
        text: 'Thanks for your review! We will review your refund request.',
      })
    ).status,
    201,
  );
  await new Promise((res) => setTimeout(res, 300));
  assert.equal(graph.sends().length, sends + 1);
});
