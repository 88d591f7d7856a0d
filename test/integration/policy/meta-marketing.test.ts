// Meta's own marketing controls over the real server and the fake Graph API: a `user_preferences` stop / resume
// (from a customer with no wa_id) becomes consent-ledger events (method provider, the webhook event as evidence,
// recorded once however often delivered), a malformed or unsigned one is refused with nothing stored; error
// 131049 is not an opt-out — the message is failed `meta_marketing_limit`, ONE retry is scheduled ≥ 24 h later and
// goes through the whole guard again (a consent withdrawn meanwhile refuses it), a retry failing again is not
// retried, and the frequency cap counts the failure.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestServer } from '../../helpers/server.js';
import { startWorld, waCustomerWrites, waitFor, type World } from '../../helpers/world.js';
import { cloudValue, postWebhook, samplePayload, settle } from '../../helpers/webhooks.js';
import type { FakeGraphServer } from '../../fakes/graph-server.js';
import { MessageModel } from '../../../server/src/models/message.js';
import { ConsentEventModel } from '../../../server/src/models/consent-event.js';
import { WebhookEventModel } from '../../../server/src/models/webhook-event.js';
import { consentState, recordConsent } from '../../../server/src/policy/consent.js';
import { mongoFrequencyStore } from '../../../server/src/data/frequency.js';

let world: World;
let srv: TestServer;
let graph: FakeGraphServer;
before(async () => {
  world = await startWorld({ MARKETING_RETRY_SWEEP_MS: '100' });
  ({ srv, graph } = world);
  const r = await world.admin.post('/api/templates', {
    name: 'spring_offer',
    language: 'es',
    category: 'marketing',
    body: 'Hola {{1}}, ¡20% en toda la tienda!',
    approved: true,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
});
after(() => world.close());

const post = async (body: string | object) => {
  const r = await postWebhook(srv, 'whatsapp', body);
  await settle(srv);
  return r;
};
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('user_preferences stop / resume → provider consent events, once each, for a customer without a number', async () => {
  assert.equal((await post(samplePayload('wa-cloud-text-bsuid-username.json'))).status, 200);
  const msg = await MessageModel.findOne({ providerMessageId: 'wamid.HBgSRVMuNzMwMTIyNTU5OTQ3MTIwMxUCABIYIDNBQTk0' });
  const contactId = String(msg!.contactId);
  const stop = samplePayload('wa-cloud-user-preferences-stop.json');
  assert.equal((await post(stop)).status, 200);
  assert.equal((await consentState(contactId)).marketing, 'withdrawn');
  const [ev] = await ConsentEventModel.find({ contactId }).lean();
  assert.equal(ev.method, 'provider');
  assert.equal(ev.action, 'withdrawn');
  assert.match(ev.evidence!.eventId!, /^user_preferences:102290129340398:109400000000001:ES\.7301225599471203:/);
  assert.equal(ev.note, 'User requested to stop marketing messages');
  // A redelivery records nothing more.
  assert.equal((await post(stop)).status, 200);
  assert.equal(await ConsentEventModel.countDocuments({ contactId }), 1);

  const resume = JSON.parse(stop);
  Object.assign(resume.entry[0].changes[0].value.user_preferences[0], {
    value: 'resume',
    detail: 'User requested to resume marketing messages',
    timestamp: 1763901300,
  });
  assert.equal((await post(resume)).status, 200);
  assert.equal((await consentState(contactId)).marketing, 'granted');
  assert.equal(await ConsentEventModel.countDocuments({ contactId, method: 'provider' }), 2);
});

test('a malformed user_preferences → 400 naming the field; an unsigned one → 401; nothing stored', async () => {
  const before = await WebhookEventModel.countDocuments();
  const bad = JSON.parse(samplePayload('wa-cloud-user-preferences-stop.json'));
  delete bad.entry[0].changes[0].value.user_preferences[0].user_id;
  const r = await postWebhook(srv, 'whatsapp', bad);
  assert.equal(r.status, 400);
  assert.match(JSON.stringify(r.body), /user_preferences/);
  const unsigned = await postWebhook(srv, 'whatsapp', samplePayload('wa-cloud-user-preferences-stop.json'), {
    secret: null,
  });
  assert.equal(unsigned.status, 401);
  const forged = await postWebhook(srv, 'whatsapp', samplePayload('wa-cloud-user-preferences-stop.json'), 'wrong');
  assert.equal(forged.status, 401);
  assert.equal(await WebhookEventModel.countDocuments(), before);
});

const failed131049 = (wamid: string) =>
  cloudValue({
    statuses: [
      {
        id: wamid,
        status: 'failed',
        timestamp: String(Math.floor(Date.now() / 1000)),
        recipient_id: '34622000001',
        errors: [{ code: 131049, title: 'This message was not delivered to maintain healthy ecosystem engagement.' }],
      },
    ],
  });

async function sendOffer(conversationId: string, wamid: string) {
  graph.replyNext({ status: 200, body: { messaging_product: 'whatsapp', messages: [{ id: wamid }] } });
  const r = await world.admin.post(`/api/conversations/${conversationId}/messages`, {
    template: { name: 'spring_offer', language: 'es', params: ['Ana'] },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  await waitFor(async () => (await MessageModel.findById(r.body.id).lean())?.status === 'sent', 'offer sent');
  return r.body.id as string;
}

test('131049: failed meta_marketing_limit, one retry ≥ 24 h later through the guard; counted by the cap; not retried twice', async () => {
  const { conversationId, contactId } = await waCustomerWrites(world, '34622000001', 'Hola');
  await recordConsent({
    contactId,
    purpose: 'marketing',
    action: 'granted',
    method: 'agent',
    actor: { type: 'system' },
  });
  const original = await sendOffer(conversationId, 'wamid.OUT131049A');
  assert.equal((await post(failed131049('wamid.OUT131049A'))).status, 200);
  const limited = await waitFor(async () => {
    const m = await MessageModel.findById(original).lean();
    return m?.marketingRetry ? m : null;
  }, 'retry scheduled');
  assert.equal(limited.status, 'failed');
  assert.equal(limited.error!.code, 'meta_marketing_limit');
  assert.match(limited.error!.reason!, /not an opt-out/);
  assert.equal(limited.marketingRetry!.state, 'scheduled');
  assert.ok(limited.marketingRetry!.at.getTime() >= limited.statusAt!.getTime() + 24 * 3_600_000 - 1_000);
  assert.equal((await consentState(contactId)).marketing, 'granted', 'not an opt-out');
  // A redelivered failure schedules nothing more.
  await post(failed131049('wamid.OUT131049A'));
  const again = await MessageModel.findById(original).lean();
  assert.equal(again!.marketingRetry!.at.getTime(), limited.marketingRetry!.at.getTime());
  // The frequency cap counts the refused send.
  const counted = await mongoFrequencyStore.exchangesSince(contactId, new Date(Date.now() - 3_600_000));
  assert.equal(counted.filter((m) => m.direction === 'out').length, 1);
  // Nothing is re-sent before it is due.
  const sendsBefore = graph.sends().length;
  await pause(300);
  assert.equal(graph.sends().length, sendsBefore);
  assert.equal(await MessageModel.countDocuments({ retryOf: original }), 0);

  // Due (time travel on the stored schedule): the retry is sent once, through the normal outbound path.
  await MessageModel.updateOne({ _id: original }, { $set: { 'marketingRetry.at': new Date(Date.now() - 1_000) } });
  const retry = await waitFor(() => MessageModel.findOne({ retryOf: original, status: 'sent' }).lean(), 'retry sent');
  assert.equal(graph.sends().length, sendsBefore + 1);
  assert.equal(graph.sends().at(-1)!.json.template.name, 'spring_offer');
  const done = await MessageModel.findById(original).lean();
  assert.equal(done!.marketingRetry!.state, 'sent');
  assert.equal(String(done!.marketingRetry!.messageId), String(retry._id));

  // The retry hits the limit again: marked, never retried.
  assert.equal((await post(failed131049(retry.providerMessageId!))).status, 200);
  await waitFor(
    async () => (await MessageModel.findById(retry._id).lean())?.error?.code === 'meta_marketing_limit',
    'retry marked',
  );
  await pause(300);
  assert.equal((await MessageModel.findById(retry._id).lean())!.marketingRetry, null);
  assert.equal(await MessageModel.countDocuments({ retryOf: retry._id }), 0);
  assert.equal(graph.sends().length, sendsBefore + 1);
});

test('131049 retry when consent was withdrawn meanwhile → refused by the guard, nothing sent', async () => {
  const { conversationId, contactId } = await waCustomerWrites(world, '34622000002', 'Hola');
  await recordConsent({
    contactId,
    purpose: 'marketing',
    action: 'granted',
    method: 'agent',
    actor: { type: 'system' },
  });
  const original = await sendOffer(conversationId, 'wamid.OUT131049B');
  await post(failed131049('wamid.OUT131049B'));
  await waitFor(async () => (await MessageModel.findById(original).lean())?.marketingRetry, 'retry scheduled');
  await recordConsent({
    contactId,
    purpose: 'marketing',
    action: 'withdrawn',
    method: 'keyword',
    actor: { type: 'customer', id: contactId },
  });
  const sendsBefore = graph.sends().length;
  await MessageModel.updateOne({ _id: original }, { $set: { 'marketingRetry.at': new Date(Date.now() - 1_000) } });
  const ended = await waitFor(async () => {
    const m = await MessageModel.findById(original).lean();
    return m?.marketingRetry?.state === 'refused' ? m : null;
  }, 'retry refused');
  assert.equal(ended.marketingRetry!.code, 'contact_opted_out');
  assert.equal(graph.sends().length, sendsBefore);
  assert.ok(await MessageModel.exists({ conversationId, status: 'blocked', kind: 'template' }));
});

test('a retry a dead process left half-way: re-sent once when nothing was stored, settled when its re-send exists', async () => {
  const { conversationId, contactId } = await waCustomerWrites(world, '34622000003', 'Hola');
  await recordConsent({
    contactId,
    purpose: 'marketing',
    action: 'granted',
    method: 'agent',
    actor: { type: 'system' },
  });
  const lost = await sendOffer(conversationId, 'wamid.OUT131049C');
  const stored = await sendOffer(conversationId, 'wamid.OUT131049D');
  const past = new Date(Date.now() - 11 * 60_000);
  // Both left `sending` 11 minutes ago; only the second had stored its re-send before the process died.
  const resend = await MessageModel.create({
    conversationId,
    channelId: (await MessageModel.findById(stored).lean())!.channelId,
    contactId,
    direction: 'out',
    kind: 'template',
    status: 'sent',
    retryOf: stored,
  });
  for (const id of [lost, stored])
    await MessageModel.updateOne(
      { _id: id },
      { $set: { marketingRetry: { state: 'sending', at: past, claimedAt: past, messageId: null, code: null } } },
    );
  const sendsBefore = graph.sends().length;
  await waitFor(
    async () => (await MessageModel.findById(lost).lean())?.marketingRetry?.state === 'sent',
    'lost re-sent',
  );
  const settled = await waitFor(async () => {
    const m = await MessageModel.findById(stored).lean();
    return m?.marketingRetry?.state === 'sent' ? m : null;
  }, 'stored settled');
  assert.equal(String(settled.marketingRetry!.messageId), String(resend._id));
  assert.equal(await MessageModel.countDocuments({ retryOf: stored }), 1, 'never sent twice');
  assert.equal(await MessageModel.countDocuments({ retryOf: lost }), 1);
  await pause(300);
  assert.equal(graph.sends().length, sendsBefore + 1);
});
