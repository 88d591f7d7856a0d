// Benchmark of the funnel report (`npm run bench:funnel`, not part of npm test): seeds BENCH_LEADS (default 100k)
// lead records over 90 days across 20 campaigns / 100 ads plus clicks, in the embedded engine in memory, then times
// funnelReport (daily rollups) for a 30-day and a 90-day range, by campaign and by ad (best and median of
// BENCH_ROUNDS).
// Target: under 500 ms for 100k conversations. Last line: one JSON object with every figure. Must never touch a
// real database.
import mongoose, { Types } from 'mongoose';
import { startEmbeddedServer } from '@parley/embedded-mongo';
import { LeadModel } from '../../server/src/models/lead.js';
import { LinkClickModel } from '../../server/src/models/link-click.js';
import { CampaignModel } from '../../server/src/models/campaign.js';
import { AdModel } from '../../server/src/models/ad.js';
import { funnelReport } from '../../server/src/attribution/funnel.js';
import { rebuildFunnelRollups } from '../../server/src/attribution/rollups.js';

const LEADS = Number(process.env.BENCH_LEADS ?? 100_000);
const CLICKS = Number(process.env.BENCH_CLICKS ?? Math.round(LEADS * 1.5));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BATCH = 5_000;
const DAY = 86_400_000;
const TARGET_MS = 500;

const server = await startEmbeddedServer();
await mongoose.connect(server.uri, { dbName: 'bench_funnel' });
try {
  await Promise.all([LeadModel.init(), LinkClickModel.init()]);
  const campaigns = await CampaignModel.insertMany(Array.from({ length: 20 }, (_, i) => ({ name: `Campaign ${i}` })));
  const ads = await AdModel.insertMany(
    Array.from({ length: 100 }, (_, i) => ({ campaignId: campaigns[i % 20]._id, name: `Ad ${i}` })),
  );
  const end = Date.UTC(2026, 0, 1);
  const start = end - 90 * DAY;
  const channelId = new Types.ObjectId();
  let t0 = performance.now();
  for (let off = 0; off < LEADS; off += BATCH) {
    const docs = [];
    for (let i = off; i < Math.min(LEADS, off + BATCH); i++) {
      const organic = i % 5 === 0;
      const ad = ads[i % 100];
      const chatAt = new Date(start + Math.floor((i * 90 * DAY) / LEADS) + (i % 3600) * 1000);
      const answered = i % 4 !== 0;
      const stage =
        i % 10 === 0 ? 'converted' : i % 7 === 0 ? 'lost' : i % 3 === 0 ? 'qualified' : answered ? 'answered' : 'new';
      docs.push({
        conversationId: new Types.ObjectId(),
        channelId,
        contactId: new Types.ObjectId(),
        source: organic ? 'organic' : 'ctwa',
        campaignId: organic ? null : ad.campaignId,
        adId: organic ? null : ad._id,
        chatAt,
        stage,
        answeredAt: answered ? new Date(chatAt.getTime() + (i % 600) * 1000) : null,
        firstResponseSeconds: answered ? i % 600 : null,
        qualifiedAt: stage === 'qualified' || stage === 'converted' ? chatAt : null,
        value: stage === 'converted' ? 1000 + (i % 50) * 100 : null,
        currency: stage === 'converted' ? 'EUR' : null,
      });
    }
    await LeadModel.collection.insertMany(docs, { ordered: false });
  }
  for (let off = 0; off < CLICKS; off += BATCH) {
    const docs = [];
    for (let i = off; i < Math.min(CLICKS, off + BATCH); i++) {
      const ad = ads[i % 100];
      docs.push({
        code: `B${i.toString(36).toUpperCase()}`,
        linkId: channelId,
        channelId,
        campaignId: ad.campaignId,
        adId: ad._id,
        at: new Date(start + Math.floor((i * 90 * DAY) / CLICKS)),
      });
    }
    await LinkClickModel.collection.insertMany(docs, { ordered: false });
  }
  const seedMs = Math.round(performance.now() - t0);
  console.log(`seeded ${LEADS} leads + ${CLICKS} clicks in ${seedMs} ms`);
  // The live server keeps the rollups current on every change; seeded records need one rebuild.
  t0 = performance.now();
  const rollupDocs = await rebuildFunnelRollups();
  const rebuildMs = Math.round(performance.now() - t0);
  console.log(`rebuilt ${rollupDocs} rollup documents in ${rebuildMs} ms`);

  const figures: Record<string, number | boolean> = { leads: LEADS, clicks: CLICKS, seedMs, rollupDocs, rebuildMs };
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  const cases = [
    { name: 'campaign30d', from: day(end - 30 * DAY), to: day(end - DAY), groupBy: 'campaign' as const },
    { name: 'ad30d', from: day(end - 30 * DAY), to: day(end - DAY), groupBy: 'ad' as const },
    { name: 'campaign90d', from: day(start), to: day(end - DAY), groupBy: 'campaign' as const },
    { name: 'ad90d', from: day(start), to: day(end - DAY), groupBy: 'ad' as const },
  ];
  for (const c of cases) {
    const times: number[] = [];
    let chats = 0;
    for (let r = 0; r < ROUNDS; r++) {
      t0 = performance.now();
      const rep = await funnelReport({ from: c.from, to: c.to, groupBy: c.groupBy });
      times.push(performance.now() - t0);
      chats = rep.totals.chats;
    }
    times.sort((a, b) => a - b);
    const best = Math.round(times[0]);
    const median = Math.round(times[times.length >> 1]);
    console.log(
      `${c.name}: ${chats} chats — best ${best} ms, median ${median} ms (target < ${TARGET_MS} ms for the 100k set)`,
    );
    figures[`${c.name}BestMs`] = best;
    figures[`${c.name}MedianMs`] = median;
  }
  figures.meetsTarget = cases.every((c) => (figures[`${c.name}MedianMs`] as number) < TARGET_MS);
  console.log(JSON.stringify(figures));
} finally {
  await mongoose.disconnect();
  await server.close();
}
