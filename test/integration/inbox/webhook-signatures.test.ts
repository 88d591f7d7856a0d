// One channel's app secret never signs webhooks for another channel: each part of a delivery must be signed with
// the secret of the channel it is addressed to (phone_number_id / page id); otherwise the whole delivery is
// refused with 401 and nothing is stored.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { Session } from '../../helpers/http.js';
import { CHANNEL_ENV, MS, WA, cloudText, postWebhook, settle } from '../../helpers/webhooks.js';
import { WebhookEventModel } from '../../../server/src/models/webhook-event.js';
import { MessageModel } from '../../../server/src/models/message.js';

const B = { phoneNumberId: '109400000000777', secret: 'wa-secret-of-channel-b' };
const PAGE_B = { pageId: '200000000000777', secret: 'ms-secret-of-page-b' };

let srv: TestServer;
before(async () => {
  srv = await startTestServer({ env: CHANNEL_ENV });
  const admin = new Session(srv.baseUrl);
  await admin.login(srv.admin.email, srv.admin.password);
  const wa = await admin.post('/api/channels', {
    kind: 'whatsapp-cloud',
    name: 'Outlet store',
    config: { phoneNumberId: B.phoneNumberId, accessToken: 'token-b', appSecret: B.secret, verifyToken: 'verify-b' },
  });
  assert.equal(wa.status, 201, JSON.stringify(wa.body));
  const ms = await admin.post('/api/channels', {
    kind: 'messenger',
    name: 'Outlet page',
    config: { pageId: PAGE_B.pageId, pageToken: 'page-token-b', appSecret: PAGE_B.secret, verifyToken: 'verify-pb' },
  });
  assert.equal(ms.status, 201, JSON.stringify(ms.body));
});
after(() => srv.close());

const counts = async () => ({
  events: await WebhookEventModel.countDocuments(),
  messages: await MessageModel.countDocuments(),
});

function mixed(idA: string, idB: string) {
  const a = cloudText({ id: idA, from: '34612340001', text: 'for channel A' });
  const b = cloudText({ id: idB, from: '34612340002', text: 'for channel B', phoneNumberId: B.phoneNumberId });
  return { ...a, entry: [...a.entry, ...b.entry] };
}

test('WhatsApp: a delivery for channel B signed with channel A’s secret is refused and not stored', async () => {
  const before = await counts();
  const forB = cloudText({ id: 'wamid.SIG-B1', from: '34612340003', text: 'forged', phoneNumberId: B.phoneNumberId });
  const forged = await postWebhook(srv, 'whatsapp', forB, WA.appSecret);
  assert.equal(forged.status, 401);
  assert.equal(forged.body.error.code, 'invalid_signature');
  const mix = await postWebhook(srv, 'whatsapp', mixed('wamid.SIG-A2', 'wamid.SIG-B2'), WA.appSecret);
  assert.equal(mix.status, 401, 'a part for B inside a delivery signed by A');
  const mixB = await postWebhook(srv, 'whatsapp', mixed('wamid.SIG-A3', 'wamid.SIG-B3'), B.secret);
  assert.equal(mixB.status, 401, 'and the other way round');
  await settle(srv);
  assert.deepEqual(await counts(), before, 'nothing stored, nothing processed');
  for (const id of ['wamid.SIG-B1', 'wamid.SIG-A2', 'wamid.SIG-B2']) {
    assert.equal(await MessageModel.exists({ providerMessageId: id }), null);
  }
});

test('WhatsApp: each channel’s own secret works', async () => {
  const forB = cloudText({ id: 'wamid.SIG-B4', from: '34612340004', text: 'genuine', phoneNumberId: B.phoneNumberId });
  assert.equal((await postWebhook(srv, 'whatsapp', forB, B.secret)).status, 200);
  const forA = cloudText({ id: 'wamid.SIG-A4', from: '34612340005', text: 'genuine A' });
  assert.equal((await postWebhook(srv, 'whatsapp', forA, WA.appSecret)).status, 200);
  await settle(srv);
  assert.ok(await MessageModel.exists({ providerMessageId: 'wamid.SIG-B4' }));
  assert.ok(await MessageModel.exists({ providerMessageId: 'wamid.SIG-A4' }));
});

test('Messenger: a page’s events need that page’s secret', async () => {
  const before = await counts();
  const event = (pageId: string, mid: string) => ({
    object: 'page',
    entry: [
      {
        id: pageId,
        time: Date.now(),
        messaging: [
          {
            sender: { id: '7000000000001' },
            recipient: { id: pageId },
            timestamp: Date.now(),
            message: { mid, text: 'hola' },
          },
        ],
      },
    ],
  });
  const forged = await postWebhook(srv, 'messenger', event(PAGE_B.pageId, 'm_SIG-1'), MS.appSecret);
  assert.equal(forged.status, 401);
  const forgedA = await postWebhook(srv, 'messenger', event(MS.pageId, 'm_SIG-2'), PAGE_B.secret);
  assert.equal(forgedA.status, 401);
  // One delivery with entries for both pages, signed by one page's app: refused whole, neither entry stored.
  const both = {
    object: 'page',
    entry: [...event(MS.pageId, 'm_SIG-5').entry, ...event(PAGE_B.pageId, 'm_SIG-6').entry],
  };
  assert.equal((await postWebhook(srv, 'messenger', both, MS.appSecret)).status, 401);
  assert.equal((await postWebhook(srv, 'messenger', both, PAGE_B.secret)).status, 401);
  await settle(srv);
  assert.deepEqual(await counts(), before);
  assert.equal((await postWebhook(srv, 'messenger', event(PAGE_B.pageId, 'm_SIG-3'), PAGE_B.secret)).status, 200);
  assert.equal((await postWebhook(srv, 'messenger', event(MS.pageId, 'm_SIG-4'), MS.appSecret)).status, 200);
  await settle(srv);
  assert.ok(await MessageModel.exists({ providerMessageId: 'm_SIG-3' }));
  assert.ok(await MessageModel.exists({ providerMessageId: 'm_SIG-4' }));
  for (const mid of ['m_SIG-1', 'm_SIG-2', 'm_SIG-5', 'm_SIG-6'])
    assert.equal(await MessageModel.exists({ providerMessageId: mid }), null, mid);
});

test('a part for no known channel still needs some channel’s signature; a random secret signs nothing', async () => {
  const unknown = cloudText({ id: 'wamid.SIG-U1', from: '34612340006', text: 'x', phoneNumberId: '109400000009999' });
  assert.equal((await postWebhook(srv, 'whatsapp', unknown, 'not-any-channel-secret')).status, 401);
  assert.equal((await postWebhook(srv, 'whatsapp', unknown, WA.appSecret)).status, 200, 'accepted, then ignored');
  // Garbage signed by nobody is a 401 (not a 400 that would tell the body was read).
  assert.equal((await postWebhook(srv, 'whatsapp', '{not json', 'not-any-channel-secret')).status, 401);
  assert.equal((await postWebhook(srv, 'whatsapp', '{not json', WA.appSecret)).status, 400);
});

test('a part stored for a not-yet-existing channel is never applied to a channel created later', async () => {
  // Accepted on channel A's signature while no channel had this phone_number_id; processing is delayed (a retry
  // after a crash) until someone creates that channel.
  const key = '109400000008888';
  const body = JSON.stringify(
    cloudText({ id: 'wamid.SIG-LATE', from: '34612340007', text: 'planted', phoneNumberId: key }),
  );
  const ev = await WebhookEventModel.create({
    source: 'whatsapp',
    body,
    receivedAt: new Date(Date.now() - 60_000),
    state: 'pending',
    expireAt: new Date(Date.now() + 86_400_000),
  });
  const admin = new Session(srv.baseUrl);
  await admin.login(srv.admin.email, srv.admin.password);
  const created = await admin.post('/api/channels', {
    kind: 'whatsapp-cloud',
    name: 'Created later',
    config: {
      phoneNumberId: key,
      accessToken: 'token-c',
      appSecret: 'wa-secret-of-channel-c',
      verifyToken: 'verify-c',
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  srv.server.inbox.processor.kick();
  for (let i = 0; i < 50 && (await WebhookEventModel.findById(ev._id).lean())?.state !== 'done'; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal((await WebhookEventModel.findById(ev._id).lean())?.state, 'done');
  assert.equal(await MessageModel.exists({ providerMessageId: 'wamid.SIG-LATE' }), null, 'not applied');
});
