// What WhatsApp billed, as stored on outbound messages (`pricing` from their statuses): per campaign of the
// message's conversation (its attribution) and per pricing category, billable vs. free, for messages sent in a
// range. Two reads (the priced messages, then their conversations' campaigns) and the campaigns' names.
// Aggregates only: must never read message bodies or contact identities.
import { CampaignModel } from '../models/campaign.js';
import { ConversationModel } from '../models/conversation.js';
import { MessageModel } from '../models/message.js';

export interface BilledCount {
  campaignId: string | null;
  category: string;
  billable: number;
  free: number;
}

export interface BillingStore {
  /** Priced outbound messages sent in [from, to), counted per campaign and category. */
  countsByCampaign(from: Date, to: Date): Promise<BilledCount[]>;
  /** Campaign names by id. */
  campaignNames(ids: string[]): Promise<Map<string, string>>;
}

export const mongoBillingStore: BillingStore = {
  async countsByCampaign(from, to) {
    const priced = await MessageModel.find({
      direction: 'out',
      'pricing.category': { $type: 'string' },
      createdAt: { $gte: from, $lt: to },
    })
      .select('conversationId pricing')
      .lean();
    const convIds = [...new Set(priced.map((m) => String(m.conversationId)))];
    const convs = convIds.length
      ? await ConversationModel.find({ _id: { $in: convIds } })
          .select('attribution')
          .lean()
      : [];
    const campaignOf = new Map(
      convs.map((c) => [String(c._id), (c.attribution as { campaignId?: string } | null)?.campaignId ?? null]),
    );
    const counts = new Map<string, BilledCount>();
    for (const m of priced) {
      const campaignId = campaignOf.get(String(m.conversationId)) ?? null;
      const category = m.pricing!.category!;
      const key = `${campaignId ?? ''}\n${category}`;
      const row = counts.get(key) ?? { campaignId, category, billable: 0, free: 0 };
      if (m.pricing!.billable === false) row.free++;
      else row.billable++;
      counts.set(key, row);
    }
    return [...counts.values()];
  },
  async campaignNames(ids) {
    const valid = ids.filter((id) => /^[a-f\d]{24}$/i.test(id));
    const rows = valid.length
      ? await CampaignModel.find({ _id: { $in: valid } })
          .select('name')
          .lean()
      : [];
    return new Map(rows.map((c) => [String(c._id), c.name]));
  },
};
