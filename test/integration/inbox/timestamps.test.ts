// Provider timestamps through the real webhook route: a year-2100 time is stored as the provider's value but the
// message and the reply window run on the receive time (never beyond now + 24 h); a 13-digit (milliseconds) time
// is read as milliseconds (stored, not dropped); garbage ("abc", negative) never fails the event: the message is
// stored at the receive time. A conversation whose window was poisoned before is repaired by the next message.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { Session } from '../../helpers/http.js';
import { CHANNEL_ENV, MS, cloudText, cloudValue, postWebhook, settle } from '../../helpers/webhooks.js';
import { waitFor } from '../../helpers/world.js';
import { MessageModel } from '../../../server/src/models/message.js';
import { ConversationModel } from '../../../server/src/models/conversation.js';
import { WebhookEventModel } from '../../../server/src/models/webhook-event.js';

const HOUR = 3_600_000;
const SKEW = 5 * 60_000;
let srv: TestServer;
let admin: Session;
before(async () => {
  srv = await startTestServer({ env: CHANNEL_ENV });
  admin = new Session(srv.baseUrl);
  await admin.login(srv.admin.email, srv.admin.password);
});
after(() => srv.close());

/** Posts a Cloud text with this raw `timestamp`, waits for it; answers the stored message and conversation. */
async function cloudWith(timestamp: unknown, from: string, id: string) {
  const body = cloudText({ id, from, text: `ts ${String(timestamp)}` }) as ReturnType<typeof cloudValue>;
  (body.entry[0].changes[0].value as unknown as { messages: Array<Record<string, unknown>> }).messages[0].timestamp =
    timestamp;
  const sentAt = Date.now();
  const r = await postWebhook(srv, 'whatsapp', body);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  await settle(srv);
  const msg = await waitFor(() => MessageModel.findOne({ providerMessageId: id }).lean(), `message ${id}`);
  const conv = (await ConversationModel.findById(msg.conversationId).lean())!;
  return { msg, conv, sentAt };
}

async function eventOf(id: string) {
  return WebhookEventModel.findOne({ body: { $regex: id } }).lean();
}

test('a year-2100 timestamp: stored, the provider value kept, the window never beyond now + 24 h', async () => {
  const y2100 = String(Math.floor(Date.parse('2100-01-01T00:00:00Z') / 1000));
  const { msg, conv, sentAt } = await cloudWith(y2100, '34600000201', 'wamid.TS2100');
  assert.equal(msg.providerTimestamp?.getUTCFullYear(), 2100, "the provider's value is kept on the message");
  assert.ok(msg.statusAt!.getTime() <= Date.now() + SKEW, 'the message time is not in the future');
  assert.ok(conv.lastInboundAt!.getTime() <= Date.now() + SKEW);
  assert.ok(conv.lastMessageAt!.getTime() <= Date.now() + SKEW, 'ordering runs on the receive time');
  assert.ok(conv.lastInboundAt!.getTime() >= sentAt - 1000);
  assert.ok(conv.windowExpiresAt!.getTime() <= Date.now() + 24 * HOUR + SKEW, 'window not beyond now + 24 h');
  // A reply 25 hours "later" is outside the window (a year-2100 stamp would have kept it open).
  await ConversationModel.updateOne(
    { _id: conv._id },
    { $set: { lastInboundAt: new Date(conv.lastInboundAt!.getTime() - 25 * HOUR) } },
  );
  const refused = await admin.post(`/api/conversations/${String(conv._id)}/messages`, { text: 'still there?' });
  assert.equal(refused.status, 422);
  assert.equal(refused.body.error.code, 'window_closed');
});

test('a 13-digit (milliseconds) timestamp: stored with the right time, the event done, not dropped', async () => {
  const ms = Date.now() - 60_000;
  const { msg, conv } = await cloudWith(String(ms), '34600000202', 'wamid.TSMS');
  assert.equal(msg.providerTimestamp?.getTime(), ms);
  assert.equal(conv.lastInboundAt?.getTime(), ms);
  assert.equal(conv.windowExpiresAt?.getTime(), ms + 24 * HOUR);
  assert.equal((await eventOf('wamid.TSMS'))?.state, 'done');
});

test('garbage timestamps ("abc", negative, missing) never fail the event: stored at the receive time', async () => {
  for (const [i, bad] of (['abc', '-5', -5, undefined] as unknown[]).entries()) {
    const id = `wamid.TSBAD${i}`;
    const { msg, conv, sentAt } = await cloudWith(bad, `3460000030${i}`, id);
    assert.equal(msg.providerTimestamp, null, `${String(bad)}: no provider value`);
    assert.ok(msg.statusAt!.getTime() >= sentAt - 1000 && msg.statusAt!.getTime() <= Date.now() + 1000);
    assert.ok(conv.lastInboundAt!.getTime() >= sentAt - 1000 && conv.lastInboundAt!.getTime() <= Date.now());
    assert.equal((await eventOf(id))?.state, 'done', `${String(bad)}: event done`);
  }
  // A status with a garbage time is applied too.
  const r = await postWebhook(
    srv,
    'whatsapp',
    cloudValue({ statuses: [{ id: 'wamid.TSBAD0', status: 'read', timestamp: 'abc' }] }),
  );
  assert.equal(r.status, 200);
  await settle(srv);
});

test('Messenger: milliseconds are read; a year-2100 or garbage time is the receive time', async () => {
  const post = async (timestamp: unknown, psid: string, mid: string) => {
    const body = {
      object: 'page',
      entry: [
        {
          id: MS.pageId,
          messaging: [{ sender: { id: psid }, recipient: { id: MS.pageId }, timestamp, message: { mid, text: 'hi' } }],
        },
      ],
    };
    assert.equal((await postWebhook(srv, 'messenger', body)).status, 200);
    await settle(srv);
    const msg = await waitFor(() => MessageModel.findOne({ providerMessageId: mid }).lean(), mid);
    return (await ConversationModel.findById(msg.conversationId).lean())!;
  };
  const ms = Date.now() - 30_000;
  assert.equal((await post(ms, '7100000000000001', 'm_TS1')).lastInboundAt?.getTime(), ms);
  const future = await post(Date.parse('2100-01-01T00:00:00Z'), '7100000000000002', 'm_TS2');
  assert.ok(future.lastInboundAt!.getTime() <= Date.now() + SKEW);
  const bad = await post('abc', '7100000000000003', 'm_TS3');
  assert.ok(bad.lastInboundAt!.getTime() <= Date.now());
});

test('a window poisoned by a future time before this fix is replaced by the next message, and refuses meanwhile', async () => {
  const first = await cloudWith(String(Math.floor(Date.now() / 1000)), '34600000401', 'wamid.TSP1');
  const y2100 = new Date('2100-01-01T00:00:00Z');
  await ConversationModel.updateOne(
    { _id: first.conv._id },
    { $set: { lastInboundAt: y2100, windowExpiresAt: new Date(y2100.getTime() + 24 * HOUR) } },
  );
  const refused = await admin.post(`/api/conversations/${String(first.conv._id)}/messages`, { text: 'hi' });
  assert.equal(refused.status, 422, 'a future last-inbound time does not hold the window open');
  assert.equal(refused.body.error.code, 'window_closed');
  const { conv } = await cloudWith(String(Math.floor(Date.now() / 1000)), '34600000401', 'wamid.TSP2');
  assert.ok(conv.lastInboundAt!.getTime() <= Date.now() + SKEW, 'repaired');
  assert.ok(conv.windowExpiresAt!.getTime() <= Date.now() + 24 * HOUR + SKEW);
});
