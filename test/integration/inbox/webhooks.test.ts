// The webhook door over real HTTP: verify handshakes, signatures on the raw body, envelope checks, body limits,
// and every sample payload of the spec (except whatsapp-web's) → stored, processed, and pushed to an admin socket.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { Session, collect, nextEvent } from '../../helpers/http.js';
import {
  CHANNEL_ENV,
  MS,
  WA,
  cloudStatus,
  cloudValue,
  postWebhook,
  samplePayload,
  settle,
  sign,
} from '../../helpers/webhooks.js';
import { WebhookEventModel } from '../../../server/src/models/webhook-event.js';
import { MessageModel } from '../../../server/src/models/message.js';
import { ConversationModel } from '../../../server/src/models/conversation.js';
import { ContactModel } from '../../../server/src/models/contact.js';
import { ContactIdentityModel } from '../../../server/src/models/contact-identity.js';
import { ChannelModel } from '../../../server/src/models/channel.js';
import { PendingStatusModel } from '../../../server/src/models/pending-status.js';
import type { Conversation, Message } from '../../../shared/src/index.js';

let srv: TestServer;
let admin: Session;
before(async () => {
  srv = await startTestServer({ env: CHANNEL_ENV });
  admin = new Session(srv.baseUrl);
  await admin.login(srv.admin.email, srv.admin.password);
});
after(() => srv.close());

const storedEvents = () => WebhookEventModel.countDocuments();

test('verify handshake: a configured token echoes the challenge, anything else is 403', async () => {
  for (const [provider, token] of [
    ['whatsapp', WA.verifyToken],
    ['messenger', MS.verifyToken],
  ] as const) {
    const ok = await fetch(
      `${srv.baseUrl}/webhooks/${provider}?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444`,
    );
    assert.equal(ok.status, 200);
    assert.match(ok.headers.get('content-type') ?? '', /text\/plain/);
    assert.equal(await ok.text(), '1158201444');
  }
  const wrong = await fetch(
    `${srv.baseUrl}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`,
  );
  assert.equal(wrong.status, 403);
  assert.equal((await wrong.json()).error.code, 'verification_failed');
  // A Messenger token does not verify the WhatsApp path.
  const crossed = await fetch(
    `${srv.baseUrl}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${MS.verifyToken}&hub.challenge=1`,
  );
  assert.equal(crossed.status, 403);
  const badMode = await fetch(
    `${srv.baseUrl}/webhooks/whatsapp?hub.mode=unsubscribe&hub.verify_token=${WA.verifyToken}&hub.challenge=1`,
  );
  assert.equal(badMode.status, 403);
});

test('bad or missing signatures → 401 and nothing stored', async () => {
  const before = await storedEvents();
  const body = samplePayload('wa-cloud-text-from-ad.json');
  const missing = await postWebhook(srv, 'whatsapp', body, { secret: null });
  assert.equal(missing.status, 401);
  assert.equal(missing.body.error.code, 'invalid_signature');
  assert.equal((await postWebhook(srv, 'whatsapp', body, { secret: 'another-secret' })).status, 401);
  assert.equal((await postWebhook(srv, 'whatsapp', body, { signature: 'sha256=abc' })).status, 401);
  assert.equal(
    (await postWebhook(srv, 'whatsapp', body, { signature: sign(WA.appSecret, body).replace('sha256=', 'sha1=') }))
      .status,
    401,
  );
  // Signed over different bytes (re-serialised JSON does not match the raw body).
  const reserialised = JSON.stringify(JSON.parse(body));
  assert.equal((await postWebhook(srv, 'whatsapp', body, { signature: sign(WA.appSecret, reserialised) })).status, 401);
  // The Messenger app secret does not sign WhatsApp webhooks.
  assert.equal((await postWebhook(srv, 'whatsapp', body, { secret: MS.appSecret })).status, 401);
  assert.equal(await storedEvents(), before);
  assert.equal(await MessageModel.countDocuments({ providerMessageId: 'wamid.SAMPLE0001' }), 0);
});

test('bad JSON, wrong envelope object or a malformed envelope → 400 and nothing stored', async () => {
  const before = await storedEvents();
  const badJson = await postWebhook(srv, 'whatsapp', '{"object": "whatsapp_business_account", ');
  assert.equal(badJson.status, 400);
  assert.equal(badJson.body.error.code, 'invalid_json');
  const wrongObject = await postWebhook(srv, 'whatsapp', { object: 'page', entry: [] });
  assert.equal(wrongObject.status, 400);
  assert.equal(wrongObject.body.error.code, 'wrong_object');
  const pageOnMessenger = await postWebhook(srv, 'messenger', { object: 'whatsapp_business_account', entry: [] });
  assert.equal(pageOnMessenger.status, 400);
  const noMetadata = await postWebhook(srv, 'whatsapp', {
    object: 'whatsapp_business_account',
    entry: [{ id: '1', changes: [{ field: 'messages', value: { messages: [] } }] }],
  });
  assert.equal(noMetadata.status, 400);
  assert.equal(noMetadata.body.error.code, 'invalid_envelope');
  const entryNotArray = await postWebhook(srv, 'messenger', { object: 'page', entry: { id: '1' } });
  assert.equal(entryNotArray.status, 400);
  assert.equal(await storedEvents(), before);
});

test('a body over 1 MB → 413 and nothing stored', async () => {
  const before = await storedEvents();
  const huge = JSON.stringify({ object: 'whatsapp_business_account', entry: [], pad: 'x'.repeat(1_100_000) });
  const r = await postWebhook(srv, 'whatsapp', huge);
  assert.equal(r.status, 413);
  assert.equal(r.body.error.code, 'payload_too_large');
  assert.equal(await storedEvents(), before);
});

test('Cloud sample: text from an ad → contact, conversation with provisional attribution, message, socket events', async () => {
  const sock = await admin.socket();
  await new Promise((r) => setTimeout(r, 50));
  const newMsg = nextEvent<{ conversationId: string; message: Message }>(sock, 'message:new', 1000);
  const convUpd = nextEvent<{ conversation: Conversation }>(sock, 'conversation:updated', 1000);
  const r = await postWebhook(srv, 'whatsapp', samplePayload('wa-cloud-text-from-ad.json'));
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { received: true });
  const { message } = await newMsg;
  assert.equal(message.text, 'Hola, ¿tenéis la talla M en azul?');
  assert.equal(message.direction, 'in');
  assert.equal(message.status, 'received');
  const { conversation } = await convUpd;
  assert.equal(conversation.id, message.conversationId);
  assert.equal(conversation.unreadCount, 1);
  assert.equal(conversation.contact.displayName, 'Lucía');
  assert.equal(conversation.contact.maskedPhone, '+34 6•• ••• •78');
  assert.ok(!JSON.stringify(conversation).includes('34612345678'), 'no real number in the socket view');
  // The ad is auto-created under the "Unassigned" campaign by attribution.
  const { campaignId: waCampaign, ...waAttribution } = conversation.attribution!;
  assert.match(waCampaign ?? '', /^[a-f\d]{24}$/);
  assert.deepEqual(waAttribution, {
    source: 'ctwa',
    adId: '120000000000000001',
    headline: 'Chaqueta impermeable -20%',
    sourceUrl: 'https://fb.me/sample1',
    mediaUrl: 'https://example.invalid/ad1.jpg',
    clickedAt: new Date(1763900000 * 1000).toISOString(),
    hasClickId: true,
  });
  assert.equal(conversation.lastInboundAt, new Date(1763900000 * 1000).toISOString());
  assert.equal(conversation.windowExpiresAt, new Date((1763900000 + 24 * 3600) * 1000).toISOString());
  sock.close();

  const stored = await MessageModel.findOne({ providerMessageId: 'wamid.SAMPLE0001' }).lean();
  assert.equal((stored!.referral as { clickId: string }).clickId, 'ARAkSAMPLEclid0001');
  const conv = await ConversationModel.findById(stored!.conversationId).lean();
  assert.deepEqual(conv!.replyTo, { kind: 'wa_id', value: '34612345678' });
  assert.match(conv!.searchText, /lucía/);
  const contact = await ContactModel.findById(stored!.contactId).lean();
  assert.equal(contact!.phone, '34612345678');
  const channel = await ChannelModel.findOne({ externalId: WA.phoneNumberId }).lean();
  assert.equal(String(conv!.channelId), String(channel!._id));
  const ev = await WebhookEventModel.findOne({ body: samplePayload('wa-cloud-text-from-ad.json') }).lean();
  assert.equal(ev!.state, 'done');
  assert.ok(ev!.expireAt.getTime() > Date.now() + 13 * 24 * 3600 * 1000, 'kept for the retention period');
});

test('Cloud sample: image from a user without wa_id → user_id + username identities, media pending then unavailable', async () => {
  const sock = await admin.socket();
  await new Promise((r) => setTimeout(r, 50));
  const newMsg = nextEvent<{ message: Message }>(sock, 'message:new', 1000);
  assert.equal((await postWebhook(srv, 'whatsapp', samplePayload('wa-cloud-image-no-waid.json'))).status, 200);
  const { message } = await newMsg;
  assert.equal(message.kind, 'image');
  assert.equal(message.text, 'Esta es la que vi');
  sock.close();
  const stored = await MessageModel.findOne({ providerMessageId: 'wamid.SAMPLE0002' }).lean();
  assert.equal(stored!.media!.providerMediaId, '1480000000000001');
  assert.equal(stored!.media!.mimeType, 'image/jpeg');
  const ids = await ContactIdentityModel.find({ contactId: stored!.contactId }).lean();
  assert.deepEqual(
    ids.map((i) => [i.kind, i.value]),
    [
      ['wa_user_id', 'ES.1234567890123'],
      ['wa_username', 'marc.s'],
    ],
  );
  const contact = await ContactModel.findById(stored!.contactId).lean();
  assert.equal(contact!.phone, null);
  assert.equal(contact!.username, 'marc.s');
  assert.equal(contact!.displayName, 'Marc');
  const conv = await ConversationModel.findById(stored!.conversationId).lean();
  assert.deepEqual(conv!.replyTo, { kind: 'wa_user_id', value: 'ES.1234567890123' });
});

test('Cloud samples: statuses for messages not sent yet are parked, then applied (failed carries code + reason)', async () => {
  assert.equal((await postWebhook(srv, 'whatsapp', samplePayload('wa-cloud-status-read.json'))).status, 200);
  assert.equal((await postWebhook(srv, 'whatsapp', samplePayload('wa-cloud-failed-131047.json'))).status, 200);
  await settle(srv);
  const parked = await PendingStatusModel.find({
    providerMessageId: { $in: ['wamid.OUTSAMPLE0001', 'wamid.OUTSAMPLE0002'] },
  }).lean();
  assert.equal(parked.length, 2);
  const failed = parked.find((p) => p.status === 'failed')!;
  assert.equal(failed.error!.code, '131047');
  assert.match(failed.error!.reason!, /24 hours.*only an approved template/);
});

test('Messenger sample: ad referral before the first message → contact by PSID, attribution ctm on the conversation', async () => {
  const sock = await admin.socket();
  await new Promise((r) => setTimeout(r, 50));
  const got = collect<{ conversation: Conversation }>(sock, 'conversation:updated');
  const newMsg = nextEvent<{ message: Message }>(sock, 'message:new', 1000);
  assert.equal((await postWebhook(srv, 'messenger', samplePayload('messenger-ad-referral.json'))).status, 200);
  const { message } = await newMsg;
  assert.equal(message.text, 'Do you ship to Lisbon?');
  await new Promise((r) => setTimeout(r, 100));
  const conv = got.at(-1)!.conversation;
  assert.equal(conv.id, message.conversationId);
  const { campaignId: msCampaign, ...msAttribution } = conv.attribution!;
  assert.match(msCampaign ?? '', /^[a-f\d]{24}$/);
  assert.deepEqual(msAttribution, {
    source: 'ctm',
    adId: '230000000000000001',
    headline: 'Spring jackets',
    mediaUrl: 'https://example.invalid/ad2.jpg',
    clickedAt: new Date(1763900299000).toISOString(),
    hasClickId: false,
  });
  sock.close();
  const stored = await MessageModel.findOne({ providerMessageId: 'm_SAMPLE0001' }).lean();
  assert.equal((stored!.referral as { ref: string }).ref, 'spring-jackets');
  const c = await ConversationModel.findById(stored!.conversationId).lean();
  assert.equal(c!.pendingReferral, null, 'the pending referral was used');
  assert.deepEqual(c!.replyTo, { kind: 'psid', value: `${MS.pageId}:7000000000000001` });
  const messengerChannel = await ChannelModel.findOne({ kind: 'messenger' }).lean();
  assert.equal(String(c!.channelId), String(messengerChannel!._id));
});

test('an unknown message type is stored as unsupported with a placeholder; webhook still 200', async () => {
  const body = cloudValue({
    contacts: [{ profile: { name: 'Zoe' }, wa_id: '34699000001' }],
    messages: [
      { from: '34699000001', id: 'wamid.UNKNOWN1', timestamp: '1763900500', type: 'hologram', hologram: { frames: 3 } },
    ],
  });
  assert.equal((await postWebhook(srv, 'whatsapp', body)).status, 200);
  await settle(srv);
  const m = await MessageModel.findOne({ providerMessageId: 'wamid.UNKNOWN1' }).lean();
  assert.equal(m!.kind, 'unsupported');
  assert.equal(m!.text, '[Unsupported message type: hologram]');
  assert.equal(m!.providerType, 'hologram');
});

test('an unknown routing key is skipped with a warning, other parts of the same event are kept', async () => {
  const body = cloudValue({
    contacts: [{ profile: { name: 'Known' }, wa_id: '34699000002' }],
    messages: [
      { from: '34699000002', id: 'wamid.KNOWNPART', timestamp: '1763900600', type: 'text', text: { body: 'hi' } },
    ],
  }) as { entry: Array<{ changes: unknown[] }> };
  const stranger = cloudValue(
    { messages: [{ from: '1', id: 'wamid.STRANGER', timestamp: '1763900600', type: 'text', text: { body: 'x' } }] },
    '999999999',
  ) as typeof body;
  body.entry[0].changes.unshift(stranger.entry[0].changes[0]);
  assert.equal((await postWebhook(srv, 'whatsapp', body)).status, 200);
  await settle(srv);
  assert.ok(await MessageModel.exists({ providerMessageId: 'wamid.KNOWNPART' }));
  assert.equal(await MessageModel.exists({ providerMessageId: 'wamid.STRANGER' }), null);
  const ev = await WebhookEventModel.findOne({ body: JSON.stringify(body) }).lean();
  assert.equal(ev!.state, 'done');
});

test('a status webhook for a known outbound message is applied and pushed', async () => {
  // An outbound message as the sender would leave it after the provider accepted it.
  const m = await MessageModel.findOne({ providerMessageId: 'wamid.SAMPLE0001' }).lean();
  const out = await MessageModel.create({
    conversationId: m!.conversationId,
    channelId: m!.channelId,
    contactId: m!.contactId,
    direction: 'out',
    kind: 'text',
    text: 'Sí, la tenemos',
    status: 'sent',
    providerMessageId: 'wamid.OUTKNOWN1',
  });
  const sock = await admin.socket();
  await new Promise((r) => setTimeout(r, 50));
  const st = nextEvent<{ messageId: string; status: string }>(sock, 'message:status', 1000);
  assert.equal((await postWebhook(srv, 'whatsapp', cloudStatus('wamid.OUTKNOWN1', 'delivered'))).status, 200);
  assert.deepEqual(await st, {
    conversationId: String(m!.conversationId),
    messageId: String(out._id),
    status: 'delivered',
  });
  sock.close();
});
