// Abuse report storage: filing one (a customer's report keyword), listing them for the review queue (newest
// first, by status and channels) and resolving an open one. Must never hold the customer's text.
import { Types } from 'mongoose';
import { AbuseReportModel, type AbuseReportRecord } from '../models/abuse-report.js';
import { toId, type Id } from './ids.js';

export type AbuseReportLean = AbuseReportRecord & { _id: Id; createdAt?: Date | null };

export interface AbuseReportStore {
  file(r: { conversationId: string; channelId: string; contactId: string; messageId: string; language: string }): Promise<
    AbuseReportLean
  >;
  list(q: { status?: 'open' | 'resolved'; channelIds?: string[]; limit: number }): Promise<AbuseReportLean[]>;
  /** Open → resolved; null when there is no open report with this id. */
  resolve(id: string, by: string, note: string | null): Promise<AbuseReportLean | null>;
}

export const mongoAbuseReportStore: AbuseReportStore = {
  async file(r) {
    const report = await AbuseReportModel.create({
      conversationId: toId(r.conversationId),
      channelId: toId(r.channelId),
      contactId: toId(r.contactId),
      messageId: toId(r.messageId),
      language: r.language,
    });
    return report.toObject();
  },
  async list(q) {
    const filter: Record<string, unknown> = {};
    if (q.status) filter.status = q.status;
    if (q.channelIds) filter.channelId = { $in: q.channelIds.map((id) => toId(id)) };
    return AbuseReportModel.find(filter).sort({ createdAt: -1 }).limit(q.limit).lean();
  },
  async resolve(id, by, note) {
    if (!Types.ObjectId.isValid(id)) return null;
    return AbuseReportModel.findOneAndUpdate(
      { _id: id, status: 'open' },
      { $set: { status: 'resolved', resolvedBy: toId(by), resolvedAt: new Date(), resolutionNote: note } },
      { returnDocument: 'after' },
    ).lean();
  },
};
