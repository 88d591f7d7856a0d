// Funnel rollup storage (models/funnel-daily.ts): atomic $inc of one day × campaign / day × ad slot (upserted,
// batched with concurrent bumps into one bulk write), and the inputs and the replacement of a full rebuild.
// Aggregates only: must never store contact or message data.
import { batchedUpdates } from './batched-model.js';
import { FunnelDailyModel } from '../models/funnel-daily.js';
import { LeadModel } from '../models/lead.js';
import { LinkClickModel } from '../models/link-click.js';
import type { Id } from './ids.js';

export type RollupKind = 'campaign' | 'ad';

export interface RollupSlot {
  kind: RollupKind;
  day: string;
  key: string;
  clicks: number;
  chats: number;
  answered: number;
  qualified: number;
  converted: number;
  value: number;
  frt: number[];
}

export interface RollupLead {
  chatAt: Date;
  campaignId?: Id | null;
  adId?: Id | null;
  answeredAt?: Date | null;
  qualifiedAt?: Date | null;
  stage?: string | null;
  value?: number | null;
  firstResponseSeconds?: number | null;
}

export interface RollupStore {
  /** Adds `inc` to one slot (creating it), and appends a first-response time when given. */
  bump(kind: RollupKind, day: string, key: string, inc: Record<string, number>, frt?: number): Promise<void>;
  /** Every lead's rollup fields (streamed). */
  leads(): AsyncIterable<RollupLead>;
  /** Every click's time, campaign and ad (streamed). */
  clicks(): AsyncIterable<{ at: Date; campaignId?: Id | null; adId?: Id | null }>;
  /** Replaces every slot with these. */
  replaceAll(slots: RollupSlot[]): Promise<void>;
}

const upsertDaily = batchedUpdates(FunnelDailyModel);

export const mongoRollupStore: RollupStore = {
  async bump(kind, day, key, inc, frt) {
    const update = { $inc: inc, ...(frt !== undefined ? { $push: { frt } } : {}) };
    // Batched with concurrent bumps; a concurrent upsert's duplicate key is retried as an update there.
    await upsertDaily({ filter: { kind, day, key }, update, upsert: true });
  },
  leads() {
    return LeadModel.find()
      .select('chatAt campaignId adId answeredAt qualifiedAt stage value firstResponseSeconds')
      .lean()
      .cursor();
  },
  clicks() {
    return LinkClickModel.find().select('at campaignId adId').lean().cursor();
  },
  async replaceAll(slots) {
    await FunnelDailyModel.deleteMany({});
    for (let i = 0; i < slots.length; i += 1000) await FunnelDailyModel.insertMany(slots.slice(i, i + 1000));
  },
};
