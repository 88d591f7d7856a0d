// THE LEAK TEST: an agent walks every API route and socket event it can reach in a scripted session — list,
// conversation, messages, reply, assign, read, close/reopen, notes, channels, canned replies, templates, consent,
// the contact view, media, typing, status ticks, and the routes it is denied (users, reveal, export, erase, audit,
// review, integrations) — with a known customer phone number / wa_id, a WhatsApp business-scoped user id and a
// Messenger PSID in the data, and finds none of them in any body, header or socket payload.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Reply, type Session } from '../../helpers/http.js';
import { cloudStatus, cloudText, MS, postWebhook, settle } from '../../helpers/webhooks.js';
import { MessageModel } from '../../../server/src/models/message.js';
import { storeMediaFile } from '../../../server/src/inbox/media.js';
import { channelIds, msCustomerWrites, staff, startWorld, waitFor, type World } from '../../helpers/world.js';

const PHONE = '34612345678'; // also the wa_id, and the recipient_id of status webhooks (helpers/webhooks.ts)
const NATIONAL = '612345678';
const BSUID = 'ES.7766554433221100';
const PSID = '7000000000999999';
const NEEDLES = [PHONE, NATIONAL, BSUID, PSID, `${MS.pageId}:${PSID}`];

let w: World;
before(async () => {
  w = await startWorld();
});
after(async () => {
  await w?.close();
});

test('an agent session never sees a real phone number, wa_id, business-scoped id or PSID', async () => {
  const ids = await channelIds(w);
  const agent = await staff(w, 'agent', ids);
  const replies: Array<{ what: string; text: string }> = [];
  const record = (what: string, r: Reply) => {
    const headers = [...r.headers.entries()]
      .filter(([k]) => k !== 'set-cookie')
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n');
    replies.push({
      what,
      text: `${r.status}\n${headers}\n${typeof r.body === 'string' ? r.body : JSON.stringify(r.body)}`,
    });
    return r;
  };
  const call = async (s: Session, method: string, path: string, body?: unknown) =>
    record(`${method} ${path}`, await s.request(method, path, body));

  // Live socket from the start: everything it receives is checked.
  const sock = await agent.session.socket();
  const events: Array<{ event: string; args: unknown[] }> = [];
  sock.onAny((event: string, ...args: unknown[]) => events.push({ event, args }));

  // The customers write: WhatsApp with wa_id + business-scoped user id + profile name, and Messenger by PSID.
  const wamid = `wamid.LEAK${Date.now()}`;
  assert.equal(
    (
      await postWebhook(
        w.srv,
        'whatsapp',
        cloudText({ waId: PHONE, userId: BSUID, id: wamid, text: 'Hola, ¿tenéis la talla M?', name: 'Ana Leak' }),
      )
    ).status,
    200,
  );
  const inbound = await waitFor(() => MessageModel.findOne({ providerMessageId: wamid }).lean(), 'whatsapp message');
  const conv = String(inbound.conversationId);
  const contact = String(inbound.contactId);
  const ms = await msCustomerWrites(w, PSID, 'Do you ship to Lisbon?');
  await settle(w.srv);

  // An inbound photo stored for the WhatsApp conversation.
  const fileId = await storeMediaFile(Buffer.from('fake-jpeg'), {
    filename: 'photo.jpg',
    contentType: 'image/jpeg',
    messageId: String(inbound._id),
  });
  await MessageModel.updateOne(
    { _id: inbound._id },
    { $set: { media: { fileId, mimeType: 'image/jpeg', filename: 'photo.jpg', size: 9, state: 'stored' } } },
  );

  // --- the agent's scripted session ---
  await call(agent.session, 'GET', '/api/auth/me');
  await call(agent.session, 'GET', '/api/conversations');
  await call(agent.session, 'GET', `/api/conversations?q=${PHONE}`);
  await call(agent.session, 'GET', '/api/conversations?status=open&assignee=none');
  for (const id of [conv, ms.conversationId]) {
    await call(agent.session, 'GET', `/api/conversations/${id}`);
    await call(agent.session, 'GET', `/api/conversations/${id}/messages`);
    await call(agent.session, 'GET', `/api/conversations/${id}/assignees`);
    await call(agent.session, 'GET', `/api/conversations/${id}/lead`);
  }
  await call(agent.session, 'GET', `/api/media/${String(inbound._id)}`);
  await call(agent.session, 'GET', `/api/contacts/${contact}`);
  await call(agent.session, 'GET', `/api/contacts/${ms.contactId}`);
  await call(agent.session, 'GET', `/api/contacts/${contact}/consent`);
  await call(agent.session, 'GET', '/api/channels');
  await call(agent.session, 'GET', '/api/canned-replies');
  await call(agent.session, 'GET', '/api/templates');

  // Acting on the conversation: reply (sent to the fake Graph API), note, assign, read, close, reopen, typing.
  const reply = await call(agent.session, 'POST', `/api/conversations/${conv}/messages`, {
    text: 'Sí, la tenemos en M',
  });
  assert.equal(reply.status, 201);
  await call(agent.session, 'POST', `/api/conversations/${ms.conversationId}/messages`, {
    text: 'Yes, we ship to Lisbon',
  });
  await call(agent.session, 'POST', `/api/conversations/${conv}/messages`, { note: 'VIP customer' });
  await call(agent.session, 'POST', `/api/conversations/${conv}/messages`, {
    text: "We'll refund you if you delete your review",
  });
  await call(agent.session, 'POST', `/api/conversations/${conv}/assign`, { userId: agent.id });
  await call(agent.session, 'POST', `/api/conversations/${conv}/read`);
  await call(agent.session, 'POST', `/api/conversations/${conv}/close`);
  await call(agent.session, 'POST', `/api/conversations/${conv}/reopen`);
  sock.emit('typing', { conversationId: conv });
  const adminSock = await w.admin.socket();
  adminSock.emit('typing', { conversationId: conv });

  // Status ticks for the reply (the webhook carries the customer's number as recipient_id).
  const sent = await waitFor(
    () => MessageModel.findOne({ _id: reply.body.id, providerMessageId: { $type: 'string' } }).lean(),
    'the reply to be sent',
  );
  for (const st of ['sent', 'delivered', 'read']) {
    assert.equal((await postWebhook(w.srv, 'whatsapp', cloudStatus(sent.providerMessageId!, st))).status, 200);
  }
  await settle(w.srv);
  await waitFor(
    async () => events.some((e) => e.event === 'message:status' && JSON.stringify(e.args).includes('"read"')),
    'the read tick',
  );

  // Routes the agent is denied: their error bodies must not leak either.
  for (const [method, path, body] of [
    ['GET', '/api/users', undefined],
    ['POST', `/api/contacts/${contact}/reveal`, { reason: 'curious about the number' }],
    ['GET', `/api/contacts/${contact}/export`, undefined],
    ['DELETE', `/api/contacts/${contact}`, undefined],
    ['GET', '/api/audit', undefined],
    ['GET', '/api/audit/verify', undefined],
    ['GET', '/api/review', undefined],
    ['GET', '/api/integrations', undefined],
    ['GET', '/api/contacts/000000000000000000000000', undefined],
    ['GET', `/api/conversations/${PHONE}`, undefined],
  ] as const) {
    const r = await call(agent.session, method, path, body);
    assert.ok(r.status >= 400, `${method} ${path} should be refused for an agent (got ${r.status})`);
  }

  // A customer writes again while the agent watches (message:new, conversation:updated).
  await postWebhook(
    w.srv,
    'whatsapp',
    cloudText({ waId: PHONE, userId: BSUID, id: `${wamid}.2`, text: 'Perfecto, gracias', name: 'Ana Leak' }),
  );
  await settle(w.srv);
  await waitFor(
    async () => events.some((e) => e.event === 'message:new' && JSON.stringify(e.args).includes('Perfecto')),
    'the second message',
  );
  await new Promise((r) => setTimeout(r, 200));
  sock.close();
  adminSock.close();

  // --- the check ---
  const seenEvents = new Set(events.map((e) => e.event));
  for (const e of ['message:new', 'message:status', 'conversation:updated', 'typing'])
    assert.ok(seenEvents.has(e), `socket saw ${e}`);
  assert.ok(replies.length >= 30);
  const haystacks = [...replies, ...events.map((e) => ({ what: `socket ${e.event}`, text: JSON.stringify(e.args) }))];
  for (const h of haystacks) {
    for (const needle of NEEDLES) {
      assert.ok(!h.text.includes(needle), `${h.what} leaks ${needle}: ${h.text.slice(0, 400)}`);
    }
  }
  // The data really holds them (so the test is not vacuous), and the agent did see the conversation.
  const raw = await MessageModel.db.collection('contacts').find({}).toArray();
  const all = JSON.stringify(raw);
  assert.ok(all.includes(PHONE) && all.includes(BSUID) && all.includes(PSID));
  assert.ok(replies.find((r) => r.what === `GET /api/conversations/${conv}`)!.text.includes('+34 6•• ••• •78'));
});
