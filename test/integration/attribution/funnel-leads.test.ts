// Lead stages over the API (answered on the first agent reply with its first-response time, qualified, converted
// with value + currency, lost; history; validation; permissions) and the funnel on a seeded data set with
// hand-checked expected numbers, per campaign and per ad, per day, as CSV (audited). Marketers read aggregates
// only: never conversations, messages or contact identities.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Types } from 'mongoose';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { Session } from '../../helpers/http.js';
import { CHANNEL_ENV, cloudText, postWebhook, settle } from '../../helpers/webhooks.js';
import { MessageModel } from '../../../server/src/models/message.js';
import { LeadModel } from '../../../server/src/models/lead.js';
import { LinkClickModel } from '../../../server/src/models/link-click.js';
import { CampaignModel } from '../../../server/src/models/campaign.js';
import { AdModel } from '../../../server/src/models/ad.js';
import { AuditEntryModel } from '../../../server/src/models/audit-entry.js';
import { rebuildFunnelRollups } from '../../../server/src/attribution/rollups.js';
import { funnelReport } from '../../../server/src/attribution/funnel.js';

let srv: TestServer;
let admin: Session;
let marketer: Session;
before(async () => {
  srv = await startTestServer({ env: CHANNEL_ENV });
  admin = new Session(srv.baseUrl);
  await admin.login(srv.admin.email, srv.admin.password);
  await admin.post('/api/users', {
    email: 'mark@parley.test',
    name: 'Mark',
    role: 'marketer',
    password: 'marketer-password-42',
  });
  marketer = new Session(srv.baseUrl);
  await marketer.login('mark@parley.test', 'marketer-password-42');
});
after(() => srv.close());

const SECRET_BODY = 'my card number is 4111 and I live at Calle Secreta 7';

test('lead stages: answered with first-response time, qualified, converted with value, history, validation', async () => {
  const ts = Math.floor(Date.now() / 1000) - 90;
  await postWebhook(srv, 'whatsapp', cloudText({ id: 'wamid.LEAD1', from: '34600000011', text: SECRET_BODY, ts }));
  await settle(srv);
  const conversationId = String(
    (await MessageModel.findOne({ providerMessageId: 'wamid.LEAD1' }).lean())!.conversationId,
  );
  assert.equal((await admin.get(`/api/conversations/${conversationId}`)).body.lead.stage, 'new');

  // A private note is not an answer.
  assert.equal(
    (await admin.post(`/api/conversations/${conversationId}/messages`, { note: 'looks promising' })).status,
    201,
  );
  await new Promise((r) => setTimeout(r, 50));
  assert.equal((await admin.get(`/api/conversations/${conversationId}`)).body.lead.stage, 'new');
  assert.equal(
    (await admin.post(`/api/conversations/${conversationId}/messages`, { text: 'Hello! How can we help?' })).status,
    201,
  );
  for (
    let i = 0;
    i < 40 && (await admin.get(`/api/conversations/${conversationId}`)).body.lead.stage !== 'answered';
    i++
  )
    await new Promise((r) => setTimeout(r, 25));
  assert.equal((await admin.get(`/api/conversations/${conversationId}`)).body.lead.stage, 'answered');
  const lead = await LeadModel.findOne({ conversationId }).lean();
  assert.ok(
    lead!.firstResponseSeconds! >= 89 && lead!.firstResponseSeconds! < 200,
    `first response ${lead!.firstResponseSeconds}s`,
  );

  const bad = await admin.post(`/api/conversations/${conversationId}/lead`, {
    stage: 'converted',
    value: 12.5,
    currency: 'EUR',
  });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /value/);
  assert.equal((await admin.post(`/api/conversations/${conversationId}/lead`, { stage: 'converted' })).status, 400);
  assert.equal((await admin.post(`/api/conversations/${conversationId}/lead`, { stage: 'won' })).status, 400);
  assert.equal(
    (await admin.get(`/api/conversations/${conversationId}`)).body.lead.stage,
    'answered',
    'bad input changes nothing',
  );

  const q = await admin.post(`/api/conversations/${conversationId}/lead`, { stage: 'qualified' });
  assert.equal(q.status, 200);
  assert.equal((await admin.post(`/api/conversations/${conversationId}/lead`, { stage: 'qualified' })).status, 409);
  const c = await admin.post(`/api/conversations/${conversationId}/lead`, {
    stage: 'converted',
    value: 4999,
    currency: 'EUR',
  });
  assert.equal(c.status, 200);
  assert.deepEqual((await admin.get(`/api/conversations/${conversationId}`)).body.lead, {
    stage: 'converted',
    value: 4999,
    currency: 'EUR',
  });
  const h = (await admin.get(`/api/conversations/${conversationId}/lead`)).body;
  assert.deepEqual(
    h.history.map((x: { stage: string }) => x.stage),
    ['new', 'answered', 'qualified', 'converted'],
  );
  assert.equal(await AuditEntryModel.countDocuments({ action: 'lead.stage_changed' }), 2);

  // Marketers: no conversations, messages or lead endpoints; never the body.
  assert.equal((await marketer.get(`/api/conversations/${conversationId}`)).status, 403);
  assert.equal((await marketer.get(`/api/conversations/${conversationId}/messages`)).status, 403);
  assert.equal((await marketer.get('/api/conversations')).status, 403);
  assert.equal((await marketer.post(`/api/conversations/${conversationId}/lead`, { stage: 'lost' })).status, 403);
  const funnel = await marketer.get('/api/analytics/funnel');
  assert.equal(funnel.status, 200);
  assert.equal(funnel.body.totals.converted, 1);
  assert.equal(funnel.body.totals.conversionValue, 4999);
  for (const path of [
    '/api/analytics/funnel',
    '/api/analytics/funnel?format=csv',
    '/api/analytics/funnel?groupBy=ad',
    '/api/campaigns',
    '/api/links',
  ]) {
    const text = JSON.stringify((await marketer.get(path)).body);
    assert.ok(!text.includes('Calle Secreta'), `${path} has no message body`);
    assert.ok(!text.includes('34600000011'), `${path} has no phone number`);
  }
});

test('funnel on a seeded data set: hand-checked numbers per campaign, per ad, per day, totals and CSV', async () => {
  await LeadModel.deleteMany({});
  const [cA, cB] = await CampaignModel.create([{ name: 'Alpha' }, { name: 'Beta, "quoted"' }]);
  const adA = await AdModel.create({ campaignId: cA._id, name: 'Alpha ad 1' });
  const link = new Types.ObjectId();
  const channelId = new Types.ObjectId();
  const d = (s: string) => new Date(`2026-01-${s}Z`);
  const click = (campaignId: Types.ObjectId, at: string, i: number) => ({
    code: `SEED${i}XYZ`,
    linkId: link,
    channelId,
    campaignId,
    at: d(at),
  });
  await LinkClickModel.create([
    click(cA._id, '01T08:00:00', 1),
    click(cA._id, '01T09:00:00', 2),
    click(cA._id, '01T09:30:00', 3),
    click(cA._id, '02T08:00:00', 4),
    click(cA._id, '02T09:00:00', 5),
    click(cB._id, '03T08:00:00', 6),
    click(cB._id, '03T09:00:00', 7),
    { ...click(cA._id, '01T00:00:00', 8), at: new Date('2025-12-31T23:59:59Z') }, // out of range
  ]);
  const lead = (o: Record<string, unknown>): Record<string, unknown> => ({
    conversationId: new Types.ObjectId(),
    channelId,
    contactId: new Types.ObjectId(),
    source: 'link',
    ...o,
  });
  await LeadModel.insertMany([
    lead({
      campaignId: cA._id,
      adId: adA._id,
      chatAt: d('01T10:00:00'),
      answeredAt: d('01T10:01:00'),
      firstResponseSeconds: 60,
      qualifiedAt: d('01T11:00:00'),
      stage: 'converted',
      convertedAt: d('01T12:00:00'),
      value: 5000,
      currency: 'EUR',
    }),
    lead({
      campaignId: cA._id,
      adId: adA._id,
      chatAt: d('01T11:00:00'),
      answeredAt: d('01T11:02:00'),
      firstResponseSeconds: 120,
      qualifiedAt: d('01T12:00:00'),
      stage: 'lost',
      lostAt: d('01T13:00:00'),
    }),
    lead({
      campaignId: cA._id,
      chatAt: d('02T10:00:00'),
      answeredAt: d('02T10:05:00'),
      firstResponseSeconds: 300,
      stage: 'answered',
    }),
    lead({ campaignId: cA._id, chatAt: d('02T11:00:00'), stage: 'new' }),
    lead({
      campaignId: cB._id,
      chatAt: d('03T10:00:00'),
      answeredAt: d('03T10:00:30'),
      firstResponseSeconds: 30,
      qualifiedAt: d('03T11:00:00'),
      stage: 'converted',
      value: 2500,
      currency: 'EUR',
    }),
    lead({
      source: 'organic',
      chatAt: d('03T12:00:00'),
      answeredAt: d('03T12:01:30'),
      firstResponseSeconds: 90,
      stage: 'answered',
    }),
    lead({ campaignId: cA._id, chatAt: d('04T00:00:00'), stage: 'converted', value: 99999 }), // out of range
  ]);

  // Seeded records bypass the live rollup updates: rebuild them (and check both paths agree below).
  await rebuildFunnelRollups();
  const r = (await marketer.get('/api/analytics/funnel?from=2026-01-01&to=2026-01-03&groupBy=campaign')).body;
  for (const groupBy of ['campaign', 'ad'] as const) {
    const q = { from: '2026-01-01', to: '2026-01-03', groupBy };
    assert.deepEqual(
      await funnelReport(q, 'raw'),
      await funnelReport(q, 'rollups'),
      `rollups match the records (${groupBy})`,
    );
  }
  const iso = (await marketer.get('/api/analytics/funnel?from=2026-01-01T00:00:00Z&to=2026-01-04T00:00:00Z')).body;
  assert.deepEqual(iso.totals, r.totals, 'an ISO datetime range (computed from the records) gives the same totals');
  const row = (label: string) => r.rows.find((x: { label: string }) => x.label === label);
  assert.deepEqual(row('Alpha'), {
    key: String(cA._id),
    label: 'Alpha',
    clicks: 5,
    chats: 4,
    answered: 3,
    medianFirstResponseSeconds: 120,
    qualified: 2,
    converted: 1,
    conversionValue: 5000,
    conversionRate: 0.25,
  });
  assert.deepEqual(row('Beta, "quoted"'), {
    key: String(cB._id),
    label: 'Beta, "quoted"',
    clicks: 2,
    chats: 1,
    answered: 1,
    medianFirstResponseSeconds: 30,
    qualified: 1,
    converted: 1,
    conversionValue: 2500,
    conversionRate: 1,
  });
  assert.deepEqual(row('Organic'), {
    key: 'organic',
    label: 'Organic',
    clicks: 0,
    chats: 1,
    answered: 1,
    medianFirstResponseSeconds: 90,
    qualified: 0,
    converted: 0,
    conversionValue: 0,
    conversionRate: 0,
  });
  assert.equal(r.rows.length, 3);
  assert.deepEqual(
    { ...r.totals, conversionRate: Math.round(r.totals.conversionRate * 1000) / 1000 },
    {
      key: 'total',
      label: 'Total',
      clicks: 7,
      chats: 6,
      answered: 5,
      medianFirstResponseSeconds: 90,
      qualified: 3,
      converted: 2,
      conversionValue: 7500,
      conversionRate: 0.333,
    },
  );
  assert.deepEqual(r.perDay, [
    { date: '2026-01-01', chats: 2, clicks: 3 },
    { date: '2026-01-02', chats: 2, clicks: 2 },
    { date: '2026-01-03', chats: 2, clicks: 2 },
  ]);

  const byAd = (await marketer.get('/api/analytics/funnel?from=2026-01-01&to=2026-01-03&groupBy=ad')).body;
  const adRow = byAd.rows.find((x: { key: string }) => x.key === String(adA._id));
  assert.equal(adRow.label, 'Alpha ad 1');
  assert.equal(adRow.chats, 2);
  assert.equal(adRow.converted, 1);
  assert.equal(adRow.medianFirstResponseSeconds, 90);

  const csv = await marketer.get('/api/analytics/funnel?from=2026-01-01&to=2026-01-03&format=csv');
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type')!, /text\/csv/);
  assert.match(
    csv.headers.get('content-disposition')!,
    /attachment; filename="parley-funnel-campaign-2026-01-01-2026-01-04\.csv"/,
  );
  const lines = (csv.body as string).trim().split('\r\n');
  assert.equal(
    lines[0],
    'key,label,clicks,chats,answered,medianFirstResponseSeconds,qualified,converted,conversionValue,conversionRate',
  );
  assert.ok(lines.includes(`${cA._id},Alpha,5,4,3,120,2,1,5000,0.25`));
  assert.ok(lines.includes(`${cB._id},"Beta, ""quoted""",2,1,1,30,1,1,2500,1`));
  assert.equal(lines.at(-1), 'total,Total,7,6,5,90,3,2,7500,0.3333');
  const audit = await AuditEntryModel.findOne({ action: 'analytics.exported' }).lean();
  assert.ok(audit, 'CSV export audited');

  const bad = await marketer.get('/api/analytics/funnel?groupBy=contact');
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /groupBy/);
});
