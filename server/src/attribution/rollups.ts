// Keeps the funnel rollups (models/funnel-daily.ts) in step with clicks and lead changes: each change adds the
// difference between a lead's contribution before and after, per day × campaign and day × ad, with atomic $inc.
// rebuildFunnelRollups() recomputes everything from leads and clicks (repair, seeding). Aggregates only: must
// never store contact or message data.
import type { Id } from '../data/ids.js';
import { mongoRollupStore, type RollupLead, type RollupSlot } from '../data/rollups.js';

const store = mongoRollupStore;

export interface Contribution {
  chats: number;
  answered: number;
  qualified: number;
  converted: number;
  value: number;
}
/** The lead fields a contribution is computed from (the rollup store's lead record). */
type LeadLike = RollupLead;

export const dayOf = (d: Date) => d.toISOString().slice(0, 10);
const ZERO: Contribution = { chats: 0, answered: 0, qualified: 0, converted: 0, value: 0 };

export function contribution(l: LeadLike | null): Contribution {
  if (!l) return ZERO;
  const converted = l.stage === 'converted';
  return {
    chats: 1,
    answered: l.answeredAt ? 1 : 0,
    qualified: l.qualifiedAt ? 1 : 0,
    converted: converted ? 1 : 0,
    value: converted ? (l.value ?? 0) : 0,
  };
}

async function apply(l: Pick<LeadLike, 'chatAt' | 'campaignId' | 'adId'>, inc: Record<string, number>, frt?: number) {
  if (!Object.values(inc).some((v) => v !== 0) && frt === undefined) return;
  const day = dayOf(l.chatAt);
  await Promise.all([
    store.bump('campaign', day, l.campaignId ? String(l.campaignId) : '', inc, frt),
    store.bump('ad', day, l.adId ? String(l.adId) : '', inc, frt),
  ]);
}

/** Records a lead change: `before` null for a new lead. `frt` when the first response just happened. */
export async function rollupLeadChange(before: LeadLike | null, after: LeadLike, frt?: number): Promise<void> {
  const a = contribution(before);
  const b = contribution(after);
  const inc: Record<string, number> = {};
  for (const k of Object.keys(b) as Array<keyof Contribution>) if (b[k] !== a[k]) inc[k] = b[k] - a[k];
  await apply(after, inc, frt);
}

export async function rollupClick(c: { at: Date; campaignId?: Id | null; adId?: Id | null }): Promise<void> {
  await apply({ chatAt: c.at, campaignId: c.campaignId, adId: c.adId }, { clicks: 1 });
}

/** Recomputes every rollup from the leads and clicks (in memory per day × key; fine for a repair or a seed). */
export async function rebuildFunnelRollups(): Promise<number> {
  const acc = new Map<string, RollupSlot>();
  const slot = (kind: 'campaign' | 'ad', day: string, key: string) => {
    const id = `${kind}|${day}|${key}`;
    let s = acc.get(id);
    if (!s) acc.set(id, (s = { kind, day, key, clicks: 0, frt: [], ...ZERO }));
    return s;
  };
  for await (const l of store.leads()) {
    const c = contribution(l);
    for (const s of [
      slot('campaign', dayOf(l.chatAt), l.campaignId ? String(l.campaignId) : ''),
      slot('ad', dayOf(l.chatAt), l.adId ? String(l.adId) : ''),
    ]) {
      for (const k of Object.keys(c) as Array<keyof Contribution>) s[k] += c[k];
      if (typeof l.firstResponseSeconds === 'number') s.frt.push(l.firstResponseSeconds);
    }
  }
  for await (const c of store.clicks()) {
    slot('campaign', dayOf(c.at), c.campaignId ? String(c.campaignId) : '').clicks += 1;
    slot('ad', dayOf(c.at), c.adId ? String(c.adId) : '').clicks += 1;
  }
  const docs = [...acc.values()];
  await store.replaceAll(docs);
  return docs.length;
}
