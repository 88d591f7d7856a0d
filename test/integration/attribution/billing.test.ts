// Cost per ad, data side: WhatsApp's `pricing` on statuses is stored on the outbound message (category, billable,
// type) and GET /api/analytics/billing counts billed and free messages per campaign and category (an ad's
// conversation under its campaign, an unattributed one as Organic); marketers may read it, agents may not; no
// message text or customer identity in the answer.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Session } from '../../helpers/http.js';
import { startWorld, waitFor, type World } from '../../helpers/world.js';
import { cloudText, cloudValue, postWebhook, settle } from '../../helpers/webhooks.js';
import { MessageModel } from '../../../server/src/models/message.js';
import { ConversationModel } from '../../../server/src/models/conversation.js';
import { ChannelModel } from '../../../server/src/models/channel.js';

let world: World;
let marketer: Session;
let agent: Session;
before(async () => {
  world = await startWorld();
  const ch = await ChannelModel.findOne({ kind: 'whatsapp-cloud' }).lean();
  for (const [email, role] of [
    ['mark@parley.test', 'marketer'],
    ['agnes@parley.test', 'agent'],
  ] as const) {
    const r = await world.admin.post('/api/users', {
      email,
      name: role,
      role,
      password: 'a-long-password-42',
      ...(role === 'agent' ? { channelIds: [String(ch!._id)] } : {}),
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  marketer = new Session(world.srv.baseUrl);
  await marketer.login('mark@parley.test', 'a-long-password-42');
  agent = new Session(world.srv.baseUrl);
  await agent.login('agnes@parley.test', 'a-long-password-42');
});
after(() => world.close());

const priced = (id: string, pricing: object) =>
  cloudValue({
    statuses: [
      { id, status: 'sent', timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: '34644000001', pricing },
    ],
  });

async function reply(conversationId: string, wamid: string, text: string) {
  world.graph.replyNext({ status: 200, body: { messaging_product: 'whatsapp', messages: [{ id: wamid }] } });
  const r = await world.admin.post(`/api/conversations/${conversationId}/messages`, { text });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  await waitFor(async () => (await MessageModel.findById(r.body.id).lean())?.providerMessageId === wamid, 'sent');
  return r.body.id as string;
}

test('pricing from statuses is stored per message and counted per campaign and category', async () => {
  const fromAd = cloudText({
    id: 'wamid.BILL1',
    from: '34644000001',
    text: 'vi el anuncio',
    referral: { source_id: '120000000000000077', source_type: 'ad', headline: 'Rebajas', ctwa_clid: 'clidB' },
  });
  assert.equal((await postWebhook(world.srv, 'whatsapp', fromAd)).status, 200);
  await settle(world.srv);
  const adConv = String((await MessageModel.findOne({ providerMessageId: 'wamid.BILL1' }).lean())!.conversationId);
  const campaignId = await waitFor(
    async () => (await ConversationModel.findById(adConv).lean())?.attribution?.campaignId as string | undefined,
    'attributed',
  );
  const { conversationId: organic } = await (
    await import('../../helpers/world.js')
  ).waCustomerWrites(world, '34644000002', 'hola');

  const m1 = await reply(adConv, 'wamid.BILLOUT1', 'Tenemos tu talla');
  const m2 = await reply(adConv, 'wamid.BILLOUT2', 'Y envío gratis');
  const m3 = await reply(organic, 'wamid.BILLOUT3', 'Claro');
  const free = { billable: false, pricing_model: 'PMP', category: 'service', type: 'free_customer_service' };
  await postWebhook(
    world.srv,
    'whatsapp',
    priced('wamid.BILLOUT1', { ...free, category: 'marketing', type: 'free_entry_point' }),
  );
  await postWebhook(
    world.srv,
    'whatsapp',
    priced('wamid.BILLOUT2', { billable: true, pricing_model: 'PMP', category: 'utility', type: 'regular' }),
  );
  await postWebhook(world.srv, 'whatsapp', priced('wamid.BILLOUT3', free));
  await settle(world.srv);
  const stored = await MessageModel.findById(m1).lean();
  assert.deepEqual(stored!.pricing, { category: 'marketing', billable: false, type: 'free_entry_point', model: 'PMP' });
  assert.equal((await MessageModel.findById(m2).lean())!.pricing!.billable, true);
  assert.equal((await MessageModel.findById(m3).lean())!.pricing!.category, 'service');

  const r = await marketer.get('/api/analytics/billing');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const ad = r.body.rows.find((x: { campaignId: string | null }) => x.campaignId === campaignId);
  assert.deepEqual(ad.categories, { marketing: { billable: 0, free: 1 }, utility: { billable: 1, free: 0 } });
  assert.equal(ad.billable, 1);
  assert.equal(ad.free, 1);
  const org = r.body.rows.find((x: { campaignId: string | null }) => x.campaignId === null);
  assert.equal(org.label, 'Organic');
  assert.deepEqual(org.categories, { service: { billable: 0, free: 1 } });
  const text = JSON.stringify(r.body);
  for (const secret of ['Tenemos', '34644000001', 'clidB']) assert.ok(!text.includes(secret), `no ${secret}`);
});

test('billing: agents are refused (403), a bad range is 400 naming it, nothing leaks', async () => {
  const r = await agent.get('/api/analytics/billing');
  assert.equal(r.status, 403);
  assert.ok(!JSON.stringify(r.body).includes('marketing'));
  const bad = await marketer.get('/api/analytics/billing?from=yesterday');
  assert.equal(bad.status, 400);
  assert.match(JSON.stringify(bad.body), /from/);
});
