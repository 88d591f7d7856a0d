// Ingest semantics over real webhooks: redeliveries (sequential and concurrent) store one message with one unread
// and one socket event; statuses only move forward; early statuses wait for applyPendingStatuses; a user_id-only
// customer stays one contact; closed conversations reopen; socket delivery is scoped to channel members.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { Session, collect, nextEvent } from '../../helpers/http.js';
import { CHANNEL_ENV, WA, cloudStatus, cloudText, cloudValue, postWebhook, settle } from '../../helpers/webhooks.js';
import { MessageModel } from '../../../server/src/models/message.js';
import { ConversationModel } from '../../../server/src/models/conversation.js';
import { ContactModel } from '../../../server/src/models/contact.js';
import { ChannelModel } from '../../../server/src/models/channel.js';
import { PendingStatusModel } from '../../../server/src/models/pending-status.js';
import type { Conversation, Message } from '../../../shared/src/index.js';

let srv: TestServer;
let admin: Session;
let waChannelId: string;
before(async () => {
  srv = await startTestServer({ env: CHANNEL_ENV });
  admin = new Session(srv.baseUrl);
  await admin.login(srv.admin.email, srv.admin.password);
  waChannelId = String((await ChannelModel.findOne({ externalId: WA.phoneNumberId }).lean())!._id);
});
after(() => srv.close());

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function outbound(conversationId: unknown, providerMessageId: string, status: 'sent' | 'queued' = 'sent') {
  const conv = await ConversationModel.findById(conversationId).lean();
  return MessageModel.create({
    conversationId: conv!._id,
    channelId: conv!.channelId,
    contactId: conv!.contactId,
    direction: 'out',
    kind: 'text',
    text: 'reply',
    status,
    providerMessageId,
  });
}

test('the same message delivered twice, then five times at once → one message, one unread, one socket event', async () => {
  const sock = await admin.socket();
  await pause(50);
  const created = collect<{ message: Message }>(sock, 'message:new');
  const body = cloudText({ id: 'wamid.DUP1', from: '34600000001', name: 'Dup', text: 'only once' });
  assert.equal((await postWebhook(srv, 'whatsapp', body)).status, 200);
  assert.equal((await postWebhook(srv, 'whatsapp', body)).status, 200);
  const burst = cloudText({ id: 'wamid.DUP2', from: '34600000001', name: 'Dup', text: 'burst' });
  const replies = await Promise.all(Array.from({ length: 5 }, () => postWebhook(srv, 'whatsapp', burst)));
  assert.deepEqual(
    replies.map((r) => r.status),
    [200, 200, 200, 200, 200],
  );
  await settle(srv);
  await pause(100);
  assert.equal(await MessageModel.countDocuments({ providerMessageId: 'wamid.DUP1' }), 1);
  assert.equal(await MessageModel.countDocuments({ providerMessageId: 'wamid.DUP2' }), 1);
  assert.deepEqual(created.map((c) => c.message.text).sort(), ['burst', 'only once']);
  const m = await MessageModel.findOne({ providerMessageId: 'wamid.DUP1' }).lean();
  const conv = await ConversationModel.findById(m!.conversationId).lean();
  assert.equal(conv!.unreadCount, 2);
  assert.equal(await ConversationModel.countDocuments({ contactId: m!.contactId }), 1);
  sock.close();
});

test('first messages of a new customer arriving concurrently open one contact and one conversation', async () => {
  const bodies = Array.from({ length: 6 }, (_, i) =>
    cloudText({ id: `wamid.RACE${i}`, from: '34600000077', name: 'Racer', text: `m${i}` }),
  );
  await Promise.all(bodies.map((b) => postWebhook(srv, 'whatsapp', b)));
  await settle(srv);
  const msgs = await MessageModel.find({ providerMessageId: /^wamid\.RACE/ }).lean();
  assert.equal(msgs.length, 6);
  assert.equal(new Set(msgs.map((m) => String(m.contactId))).size, 1, 'one contact');
  assert.equal(new Set(msgs.map((m) => String(m.conversationId))).size, 1, 'one conversation');
  assert.equal(await ContactModel.countDocuments({ phone: '34600000077' }), 1);
  const conv = await ConversationModel.findById(msgs[0].conversationId).lean();
  assert.equal(conv!.unreadCount, 6);
});

test('statuses only move forward: read then delivered stays read; sent after read stays read; failed carries code + reason', async () => {
  await postWebhook(srv, 'whatsapp', cloudText({ id: 'wamid.ST-IN', from: '34600000002', text: 'hi' }));
  await settle(srv);
  const inbound = await MessageModel.findOne({ providerMessageId: 'wamid.ST-IN' }).lean();
  const out = await outbound(inbound!.conversationId, 'wamid.ST-OUT1');
  const sock = await admin.socket();
  await pause(50);
  const statuses = collect<{ messageId: string; status: string }>(sock, 'message:status');
  for (const s of ['read', 'delivered', 'sent']) {
    assert.equal((await postWebhook(srv, 'whatsapp', cloudStatus('wamid.ST-OUT1', s))).status, 200);
    await settle(srv);
  }
  assert.equal((await MessageModel.findById(out._id).lean())!.status, 'read');
  assert.equal(
    (
      await postWebhook(
        srv,
        'whatsapp',
        cloudStatus('wamid.ST-OUT1', 'failed', { errors: [{ code: 131026, title: 'Undeliverable' }] }),
      )
    ).status,
    200,
  );
  await settle(srv);
  assert.equal((await MessageModel.findById(out._id).lean())!.status, 'read', 'failed does not override read');
  await pause(100);
  assert.deepEqual(
    statuses.map((s) => s.status),
    ['read'],
  );

  const out2 = await outbound(inbound!.conversationId, 'wamid.ST-OUT2');
  const updated = nextEvent<{ message: Message }>(sock, 'message:updated', 1000);
  await postWebhook(srv, 'whatsapp', cloudStatus('wamid.ST-OUT2', 'delivered'));
  await postWebhook(
    srv,
    'whatsapp',
    cloudStatus('wamid.ST-OUT2', 'failed', { errors: [{ code: 131047, title: 'Re-engagement message' }] }),
  );
  await settle(srv);
  const failed = (await MessageModel.findById(out2._id).lean())!;
  assert.equal(failed.status, 'failed');
  assert.equal(failed.error!.code, '131047');
  assert.match(failed.error!.reason!, /More than 24 hours.*only an approved template can be sent now/);
  const view = (await updated).message;
  assert.equal(view.status, 'failed');
  assert.equal(view.statusReason, failed.error!.reason);
  // A delivered arriving after failed does not resurrect it.
  await postWebhook(srv, 'whatsapp', cloudStatus('wamid.ST-OUT2', 'delivered'));
  await settle(srv);
  assert.equal((await MessageModel.findById(out2._id).lean())!.status, 'failed');
  sock.close();
});

test('a status before its message is known is applied by applyPendingStatuses (monotonically)', async () => {
  await postWebhook(srv, 'whatsapp', cloudStatus('wamid.EARLY1', 'delivered'));
  await postWebhook(srv, 'whatsapp', cloudStatus('wamid.EARLY1', 'read'));
  await settle(srv);
  assert.equal(await PendingStatusModel.countDocuments({ providerMessageId: 'wamid.EARLY1' }), 2);
  const inbound = await MessageModel.findOne({ providerMessageId: 'wamid.ST-IN' }).lean();
  // The sender stores the provider id with status sent, then calls applyPendingStatuses.
  const out = await outbound(inbound!.conversationId, 'wamid.EARLY1', 'sent');
  const sock = await admin.socket();
  await pause(50);
  const st = collect<{ messageId: string; status: string }>(sock, 'message:status');
  await srv.server.inbox.applyPendingStatuses(waChannelId, 'wamid.EARLY1');
  assert.equal((await MessageModel.findById(out._id).lean())!.status, 'read');
  assert.equal(await PendingStatusModel.countDocuments({ providerMessageId: 'wamid.EARLY1' }), 0);
  await pause(100);
  assert.deepEqual(
    st.map((s) => s.status),
    ['delivered', 'read'],
  );
  await srv.server.inbox.applyPendingStatuses(waChannelId, 'wamid.NOTHING'); // nothing parked: a no-op
  sock.close();
});

test('a user_id-only customer (no wa_id) resolves to the same contact; a later wa_id is linked to it', async () => {
  await postWebhook(srv, 'whatsapp', cloudText({ id: 'wamid.U1', userId: 'US.99887766', name: 'Ana', text: 'first' }));
  await postWebhook(
    srv,
    'whatsapp',
    cloudText({ id: 'wamid.U2', userId: 'US.99887766', name: 'Ana B.', text: 'second' }),
  );
  await settle(srv);
  const [m1, m2] = await Promise.all(
    ['wamid.U1', 'wamid.U2'].map((id) => MessageModel.findOne({ providerMessageId: id }).lean()),
  );
  assert.equal(String(m1!.contactId), String(m2!.contactId));
  assert.equal(String(m1!.conversationId), String(m2!.conversationId));
  // Later the same customer shows up with both ids (wa_id now known): still the same contact, wa_id becomes the reply address.
  const both = cloudValue({
    contacts: [{ profile: { name: 'Ana B.' }, wa_id: '34600000055', user_id: 'US.99887766' }],
    messages: [
      {
        from: '34600000055',
        id: 'wamid.U3',
        timestamp: String(Math.floor(Date.now() / 1000)),
        type: 'text',
        text: { body: 'third' },
      },
    ],
  });
  await postWebhook(srv, 'whatsapp', both);
  await settle(srv);
  const m3 = await MessageModel.findOne({ providerMessageId: 'wamid.U3' }).lean();
  assert.equal(String(m3!.contactId), String(m1!.contactId));
  const contact = await ContactModel.findById(m1!.contactId).lean();
  assert.equal(contact!.displayName, 'Ana B.');
  assert.equal(contact!.phone, '34600000055');
  assert.deepEqual(contact!.identities.map((i) => i.kind).sort(), ['wa_id', 'wa_user_id']);
  const conv = await ConversationModel.findById(m1!.conversationId).lean();
  assert.deepEqual(conv!.replyTo, { kind: 'wa_id', value: '34600000055' });
});

test('a closed conversation reopens on new inbound', async () => {
  await postWebhook(srv, 'whatsapp', cloudText({ id: 'wamid.C1', from: '34600000003', text: 'hello' }));
  await settle(srv);
  const m1 = await MessageModel.findOne({ providerMessageId: 'wamid.C1' }).lean();
  await ConversationModel.updateOne(
    { _id: m1!.conversationId },
    { $set: { status: 'closed', closedAt: new Date(), unreadCount: 0 } },
  );
  const sock = await admin.socket();
  await pause(50);
  const upd = nextEvent<{ conversation: Conversation }>(sock, 'conversation:updated', 1000);
  await postWebhook(srv, 'whatsapp', cloudText({ id: 'wamid.C2', from: '34600000003', text: 'me again' }));
  const { conversation } = await upd;
  assert.equal(conversation.id, String(m1!.conversationId));
  assert.equal(conversation.status, 'open');
  assert.equal(conversation.unreadCount, 1);
  const conv = await ConversationModel.findById(m1!.conversationId).lean();
  assert.equal(conv!.closedAt, null);
  assert.equal(conv!.lastMessagePreview, 'me again');
  sock.close();
});

test('reactions are stored without bumping unread; an older message does not take over the preview', async () => {
  const now = Math.floor(Date.now() / 1000);
  await postWebhook(srv, 'whatsapp', cloudText({ id: 'wamid.R1', from: '34600000004', text: 'newest', ts: now }));
  await settle(srv);
  await postWebhook(
    srv,
    'whatsapp',
    cloudText({ id: 'wamid.R0', from: '34600000004', text: 'older, late', ts: now - 60 }),
  );
  await postWebhook(
    srv,
    'whatsapp',
    cloudValue({
      contacts: [{ profile: { name: 'R' }, wa_id: '34600000004' }],
      messages: [
        {
          from: '34600000004',
          id: 'wamid.R2',
          timestamp: String(now),
          type: 'reaction',
          reaction: { message_id: 'wamid.R1', emoji: '👍' },
        },
      ],
    }),
  );
  await settle(srv);
  const r = await MessageModel.findOne({ providerMessageId: 'wamid.R2' }).lean();
  assert.equal(r!.kind, 'reaction');
  assert.equal(r!.text, '👍');
  assert.equal(r!.reactionTo, 'wamid.R1');
  const conv = await ConversationModel.findById(r!.conversationId).lean();
  assert.equal(conv!.unreadCount, 2, 'two messages, the reaction does not count');
  assert.equal(conv!.lastMessageAt!.getTime(), now * 1000);
  assert.notEqual(conv!.lastMessagePreview, 'older, late');
});

test('socket delivery is scoped: an agent of another channel gets nothing, a member gets the events', async () => {
  const other = await ChannelModel.findOne({ kind: 'messenger' }).lean();
  const mk = async (email: string, channelIds: string[]) => {
    const r = await admin.post('/api/users', {
      email,
      name: email,
      role: 'agent',
      password: 'a-good-password',
      channelIds,
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const s = new Session(srv.baseUrl);
    assert.equal((await s.login(email, 'a-good-password')).status, 200);
    return s.socket();
  };
  const outsider = await mk('outsider@parley.test', [String(other!._id)]);
  const member = await mk('member@parley.test', [waChannelId]);
  await pause(50);
  const outsiderGot = [...['message:new', 'conversation:updated', 'message:status'].map((e) => collect(outsider, e))];
  const memberMsg = nextEvent<{ message: Message }>(member, 'message:new', 1000);
  const memberConv = nextEvent<{ conversation: Conversation }>(member, 'conversation:updated', 1000);
  await postWebhook(srv, 'whatsapp', cloudText({ id: 'wamid.SCOPE1', from: '34600000005', text: 'scoped' }));
  assert.equal((await memberMsg).message.text, 'scoped');
  assert.equal((await memberConv).conversation.channel, waChannelId);
  await pause(200);
  assert.deepEqual(outsiderGot, [[], [], []]);
  outsider.close();
  member.close();
});
