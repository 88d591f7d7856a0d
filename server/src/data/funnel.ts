// What the funnel report reads: the daily rollup slots of a day range, the same figures aggregated straight from
// leads and clicks for any time range (per group and per day), and campaign or ad names. Aggregates only: must
// never read message bodies or contact identities.
import { AdModel } from '../models/ad.js';
import { CampaignModel } from '../models/campaign.js';
import { FunnelDailyModel } from '../models/funnel-daily.js';
import { LeadModel } from '../models/lead.js';
import { LinkClickModel } from '../models/link-click.js';
import type { Id } from './ids.js';
import type { RollupKind } from './rollups.js';

export interface DailySlot {
  day: string;
  key?: string | null;
  clicks?: number | null;
  chats?: number | null;
  answered?: number | null;
  qualified?: number | null;
  converted?: number | null;
  value?: number | null;
  frt?: number[] | null;
}

export interface LeadGroup {
  _id: Id | null;
  chats: number;
  answered: number;
  qualified: number;
  converted: number;
  value: number;
  frt: Array<number | null>;
}

export interface RecordAggregates {
  leadGroups: LeadGroup[];
  clickGroups: Array<{ _id: Id | null; clicks: number }>;
  leadDays: Array<{ _id: string; n: number }>;
  clickDays: Array<{ _id: string; n: number }>;
}

export interface FunnelStore {
  /** Rollup slots of one kind for days in [fromDay, toDay). */
  daily(kind: RollupKind, fromDay: string, toDay: string): Promise<DailySlot[]>;
  /** Leads (by chat time) and clicks in [from, to), grouped by campaign or ad, and per UTC day. */
  records(from: Date, to: Date, groupBy: RollupKind): Promise<RecordAggregates>;
  /** Names of these campaigns or ads. */
  names(groupBy: RollupKind, ids: string[]): Promise<Map<string, string>>;
}

export const mongoFunnelStore: FunnelStore = {
  async daily(kind, fromDay, toDay) {
    return FunnelDailyModel.find({ kind, day: { $gte: fromDay, $lt: toDay } })
      .select('-_id day key clicks chats answered qualified converted value frt')
      .lean();
  },
  async records(from, to, groupBy) {
    const field = groupBy === 'ad' ? '$adId' : '$campaignId';
    const [leadGroups, clickGroups, leadDays, clickDays] = await Promise.all([
      LeadModel.aggregate<LeadGroup>([
        { $match: { chatAt: { $gte: from, $lt: to } } },
        {
          $group: {
            _id: field,
            chats: { $sum: 1 },
            answered: { $sum: { $cond: [{ $ifNull: ['$answeredAt', false] }, 1, 0] } },
            qualified: { $sum: { $cond: [{ $ifNull: ['$qualifiedAt', false] }, 1, 0] } },
            converted: { $sum: { $cond: [{ $eq: ['$stage', 'converted'] }, 1, 0] } },
            value: { $sum: { $cond: [{ $eq: ['$stage', 'converted'] }, { $ifNull: ['$value', 0] }, 0] } },
            frt: { $push: '$firstResponseSeconds' },
          },
        },
      ]),
      LinkClickModel.aggregate<{ _id: Id | null; clicks: number }>([
        { $match: { at: { $gte: from, $lt: to } } },
        { $group: { _id: field, clicks: { $sum: 1 } } },
      ]),
      LeadModel.aggregate<{ _id: string; n: number }>([
        { $match: { chatAt: { $gte: from, $lt: to } } },
        { $group: { _id: { $dateToString: { format: '%Y-%m-%d', date: '$chatAt' } }, n: { $sum: 1 } } },
      ]),
      LinkClickModel.aggregate<{ _id: string; n: number }>([
        { $match: { at: { $gte: from, $lt: to } } },
        { $group: { _id: { $dateToString: { format: '%Y-%m-%d', date: '$at' } }, n: { $sum: 1 } } },
      ]),
    ]);
    return { leadGroups, clickGroups, leadDays, clickDays };
  },
  async names(groupBy, ids) {
    const model = groupBy === 'ad' ? AdModel : CampaignModel;
    const names = new Map<string, string>();
    for (const d of await (model as typeof CampaignModel)
      .find({ _id: { $in: ids } })
      .select('name')
      .lean())
      names.set(String(d._id), d.name);
    return names;
  },
};
