// Attribution over real webhooks: every source with the sample payloads (Cloud referral, Messenger referral,
// whatsapp-web ctwaContext through the resolver, m.me ref, ref code in the text), tracked links with the landing
// opt-in written to the consent ledger, auto-created ads under "Unassigned", organic, and that no click id or
// PSID ever reaches an API view. Must never write attribution records directly.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { Session } from '../../helpers/http.js';
import { CHANNEL_ENV, MS, WA, cloudText, postWebhook, samplePayload, settle } from '../../helpers/webhooks.js';
import { ChannelModel } from '../../../server/src/models/channel.js';
import { ConversationModel } from '../../../server/src/models/conversation.js';
import { LeadModel } from '../../../server/src/models/lead.js';
import { MessageModel } from '../../../server/src/models/message.js';
import { AdModel } from '../../../server/src/models/ad.js';
import { consentHistory, consentState } from '../../../server/src/policy/consent.js';
import { resolveAttribution } from '../../../server/src/attribution/resolver.js';
import { normalizeWwebMessage } from './wweb-sample.js';
import { eraseAttributionIdentifiers } from '../../../server/src/data/erasure.js';

let srv: TestServer;
let admin: Session;
let waChannelId: string;
let msChannelId: string;
before(async () => {
  srv = await startTestServer({ env: CHANNEL_ENV });
  admin = new Session(srv.baseUrl);
  await admin.login(srv.admin.email, srv.admin.password);
  waChannelId = String((await ChannelModel.findOne({ externalId: WA.phoneNumberId }).lean())!._id);
  msChannelId = String((await ChannelModel.findOne({ externalId: MS.pageId }).lean())!._id);
});
after(() => srv.close());

async function conversationOfMessage(providerMessageId: string) {
  const m = await MessageModel.findOne({ providerMessageId }).lean();
  assert.ok(m, `message ${providerMessageId} stored`);
  const res = await admin.get(`/api/conversations/${m.conversationId}`);
  assert.equal(res.status, 200);
  return res.body;
}

test('Cloud API referral (sample): ctwa, ad auto-created under Unassigned, click id kept server-side only', async () => {
  assert.equal((await postWebhook(srv, 'whatsapp', samplePayload('wa-cloud-text-from-ad.json'))).status, 200);
  await settle(srv);
  const conv = await conversationOfMessage('wamid.SAMPLE0001');
  assert.equal(conv.attribution.source, 'ctwa');
  assert.equal(conv.attribution.adId, '120000000000000001');
  assert.equal(conv.attribution.headline, 'Chaqueta impermeable -20%');
  assert.equal(conv.attribution.mediaUrl, 'https://example.invalid/ad1.jpg');
  assert.equal(conv.attribution.hasClickId, true);
  assert.deepEqual(conv.lead, { stage: 'new', value: null, currency: null });
  assert.ok(!JSON.stringify(conv).includes('ARAkSAMPLEclid0001'), 'ctwa_clid never in the view');
  const camps = (await admin.get('/api/campaigns')).body.items;
  const unassigned = camps.find((c: { unassigned: boolean }) => c.unassigned);
  assert.ok(unassigned, 'Unassigned campaign exists');
  assert.equal(conv.attribution.campaignId, unassigned.id);
  const ad = unassigned.ads.find((a: { externalId: string }) => a.externalId === '120000000000000001');
  assert.equal(ad.headline, 'Chaqueta impermeable -20%');
  assert.equal(ad.autoCreated, true);
  assert.ok(!JSON.stringify(camps).includes('ARAkSAMPLEclid0001'));
  const lead = await LeadModel.findOne({ conversationId: conv.id }).select('+ctwaClid').lean();
  assert.equal(lead!.ctwaClid, 'ARAkSAMPLEclid0001');
  assert.equal(lead!.source, 'ctwa');
  const msg = await MessageModel.findOne({ providerMessageId: 'wamid.SAMPLE0001' }).lean();
  assert.equal(
    (msg as { attribution?: { source: string } }).attribution?.source,
    'ctwa',
    'stored on the first message',
  );
  // The same ad again: no second ad.
  await postWebhook(
    srv,
    'whatsapp',
    cloudText({
      id: 'wamid.AD2',
      from: '34600000002',
      text: 'hi',
      referral: { source_id: '120000000000000001', source_type: 'ad', ctwa_clid: 'clid2' },
    }),
  );
  await settle(srv);
  assert.equal(await AdModel.countDocuments({ externalId: '120000000000000001' }), 1);
});

test('Messenger referral (sample, OPEN_THREAD before the message): ctm with the ad', async () => {
  assert.equal((await postWebhook(srv, 'messenger', samplePayload('messenger-ad-referral.json'))).status, 200);
  await settle(srv);
  const conv = await conversationOfMessage('m_SAMPLE0001');
  assert.equal(conv.attribution.source, 'ctm');
  assert.equal(conv.attribution.adId, '230000000000000001');
  assert.equal(conv.attribution.headline, 'Spring jackets');
  assert.equal(conv.attribution.hasClickId, false, 'no ctwa_clid on Messenger (the PSID stays server-side)');
  assert.equal(conv.attribution.clickedAt, new Date(1763900299000).toISOString(), 'click time from the referral event');
  assert.ok(!JSON.stringify(conv).includes('7000000000000001'), 'PSID never in the view');
  const lead = await LeadModel.findOne({ conversationId: conv.id }).select('+psid +pageId').lean();
  assert.equal(lead!.psid, '7000000000000001');
  assert.equal(lead!.pageId, MS.pageId);
  // Erasure removes the identifiers but keeps the counted lead.
  assert.equal((await eraseAttributionIdentifiers(conv.contact.id)).leads, 1);
  const erased = await LeadModel.findOne({ conversationId: conv.id }).select('+psid +pageId').lean();
  assert.equal(erased!.psid, null);
  assert.equal(erased!.source, 'ctm');
});

test('whatsapp-web ctwaContext (sample) with a ref code in the text: ctwa, enriched by the matched click', async () => {
  const camp = (await admin.post('/api/campaigns', { name: 'Trail shoes', platform: 'facebook' })).body;
  const link = (await admin.post('/api/links', { name: 'Trail', channelId: waChannelId, campaignId: camp.id })).body;
  const go = await fetch(`${srv.baseUrl}/c/${link.slug}`, { redirect: 'manual' });
  const code = /ref%3A([2-9A-Z]+)/.exec(go.headers.get('location')!)![1];
  const { referral, text } = normalizeWwebMessage(code);
  const conv = await ConversationModel.findOne({ channelId: waChannelId }).lean();
  const r = await resolveAttribution({
    conversationId: String(conv!._id),
    contactId: String(conv!.contactId),
    channelId: waChannelId,
    messageId: '000000000000000000000000',
    text,
    timestamp: new Date(),
    referral,
    identities: [{ kind: 'wweb_id', value: '34699111222@c.us' }],
  });
  assert.equal(r.source, 'ctwa');
  assert.equal(r.headline, 'Zapatillas trail');
  assert.equal(String(r.campaignId), camp.id, 'campaign from the matched click');
});

test('tracked link with landing: click recorded, opt-in ticked → consent ledger; ref code in text → link', async () => {
  const camp = (await admin.post('/api/campaigns', { name: 'Spring sale', platform: 'instagram' })).body;
  const ad = (await admin.post(`/api/campaigns/${camp.id}/ads`, { name: 'Reel 1', headline: 'Spring sale reel' })).body;
  const created = await admin.post('/api/links', {
    name: 'Bio link',
    channelId: waChannelId,
    adId: ad.id,
    prefilledText: 'Hi! Spring sale',
    landing: true,
  });
  assert.equal(created.status, 201);
  const link = created.body;
  assert.equal(link.campaignId, camp.id);
  assert.match(link.url, new RegExp(`/c/${link.slug}$`));
  const land = await fetch(`${srv.baseUrl}/c/${link.slug}?utm_source=ig&utm_campaign=spring&fbclid=FB123`, {
    redirect: 'manual',
    headers: { 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)' },
  });
  assert.equal(land.status, 200);
  const html = await land.text();
  assert.match(html, /type="checkbox" name="marketing"/);
  assert.doesNotMatch(html, /checked/, 'the opt-in is never pre-ticked');
  const code = /name="code" value="([2-9A-Z]+)"/.exec(html)![1];
  const post = await fetch(`${srv.baseUrl}/c/${link.slug}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `code=${code}&marketing=yes`,
  });
  assert.equal(post.status, 303);
  const target = new URL(post.headers.get('location')!);
  assert.equal(target.host, 'wa.me');
  assert.equal(target.searchParams.get('text'), `Hi! Spring sale [ref:${code}]`);
  assert.equal((await admin.get(`/api/links/${link.id}`)).body.clicks, 1);

  await postWebhook(
    srv,
    'whatsapp',
    cloudText({ id: 'wamid.LINK1', from: '34600000003', text: target.searchParams.get('text')! }),
  );
  await settle(srv);
  const conv = await conversationOfMessage('wamid.LINK1');
  assert.equal(conv.attribution.source, 'link');
  assert.equal(conv.attribution.campaignId, camp.id);
  assert.equal(conv.attribution.headline, 'Spring sale reel');
  assert.equal(conv.attribution.hasClickId, false);
  assert.equal((await consentState(conv.contact.id)).marketing, 'granted');
  const hist = await consentHistory(conv.contact.id);
  assert.ok(JSON.stringify(hist).includes('landing_form'));
});

test('landing without the box ticked writes no consent; plain redirect without landing', async () => {
  const link = (await admin.post('/api/links', { name: 'No landing', channelId: waChannelId })).body;
  const go = await fetch(`${srv.baseUrl}/c/${link.slug}`, { redirect: 'manual' });
  assert.equal(go.status, 302);
  const text = new URL(go.headers.get('location')!).searchParams.get('text')!;
  assert.match(text, /\[ref:[2-9A-Z]{8}\]$/);
  await postWebhook(srv, 'whatsapp', cloudText({ id: 'wamid.LINK2', from: '34600000004', text }));
  await settle(srv);
  const conv = await conversationOfMessage('wamid.LINK2');
  assert.equal(conv.attribution.source, 'link');
  assert.equal((await consentState(conv.contact.id)).marketing, 'unknown');
  assert.equal((await fetch(`${srv.baseUrl}/c/nope-nope`, { redirect: 'manual' })).status, 404);
  const bot = await fetch(`${srv.baseUrl}/c/${link.slug}`, {
    redirect: 'manual',
    headers: { 'user-agent': 'facebookexternalhit/1.1' },
  });
  assert.equal(bot.status, 302);
  assert.equal((await admin.get(`/api/links/${link.id}`)).body.clicks, 1, 'link previews are not clicks');
});

test('m.me link ref (Messenger SHORTLINK referral) → link', async () => {
  const link = (await admin.post('/api/links', { name: 'Messenger', channelId: msChannelId })).body;
  const go = await fetch(`${srv.baseUrl}/c/${link.slug}`, { redirect: 'manual' });
  const target = new URL(go.headers.get('location')!);
  assert.equal(target.host, 'm.me');
  const ref = target.searchParams.get('ref')!;
  const now = Date.now();
  const body = {
    object: 'page',
    entry: [
      {
        id: MS.pageId,
        time: now,
        messaging: [
          {
            sender: { id: '7000000000000009' },
            recipient: { id: MS.pageId },
            timestamp: now - 2,
            referral: { source: 'SHORTLINK', type: 'OPEN_THREAD', ref },
          },
          {
            sender: { id: '7000000000000009' },
            recipient: { id: MS.pageId },
            timestamp: now,
            message: { mid: 'm_LINK0001', text: 'Hello' },
          },
        ],
      },
    ],
  };
  await postWebhook(srv, 'messenger', body);
  await settle(srv);
  const conv = await conversationOfMessage('m_LINK0001');
  assert.equal(conv.attribution.source, 'link');
});

test('organic: no referral, no ref code; unknown ref code stays organic', async () => {
  await postWebhook(
    srv,
    'whatsapp',
    cloudText({ id: 'wamid.ORG1', from: '34600000005', text: 'Just browsing [ref:ZZZZZZZZ]' }),
  );
  await settle(srv);
  const conv = await conversationOfMessage('wamid.ORG1');
  assert.equal(conv.attribution.source, 'organic');
  assert.equal(conv.attribution.campaignId, undefined);
  assert.deepEqual(conv.lead, { stage: 'new', value: null, currency: null });
});

test('links and campaigns: validation names the field; agents cannot manage', async () => {
  const bad = await admin.post('/api/links', { name: '', channelId: 'x' });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /name/);
  assert.match(bad.body.error.message, /channelId/);
  const noCh = await admin.post('/api/links', { name: 'x', channelId: 'aaaaaaaaaaaaaaaaaaaaaaaa' });
  assert.equal(noCh.status, 400);
  assert.match(noCh.body.error.message, /channelId/);
  assert.equal((await admin.post('/api/campaigns', { name: 'x', platform: 'tv' })).status, 400);
  await admin.post('/api/users', {
    email: 'agent@parley.test',
    name: 'Agent',
    role: 'agent',
    password: 'agent-password-42',
  });
  const agent = new Session(srv.baseUrl);
  await agent.login('agent@parley.test', 'agent-password-42');
  assert.equal((await agent.get('/api/campaigns')).status, 403);
  assert.equal((await agent.post('/api/links', { name: 'x', channelId: waChannelId })).status, 403);
});
