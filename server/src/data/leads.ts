// Lead storage (one lead per conversation): the lead of a conversation, an organic lead for a conversation opened
// before attribution existed, stage changes appended to the history, the first answer (only once), and the lead
// view mirrored on the conversation. Must never return click ids or PSIDs (they are not selected here).
import { ConversationModel } from '../models/conversation.js';
import { LeadModel, type LeadRecord } from '../models/lead.js';
import type { Id } from './ids.js';

export type LeadLean = LeadRecord & { _id: Id };

export interface LeadStore {
  /** The conversation's lead; `unanswered`: only while it has no first answer. */
  ofConversation(conversationId: string, opts?: { unanswered?: boolean }): Promise<LeadLean | null>;
  /** Creates an organic lead from the conversation; null when there is no conversation, 'duplicate' when one exists. */
  createOrganic(conversationId: string): Promise<LeadLean | 'duplicate' | null>;
  /** Sets fields and appends one history entry. */
  update(leadId: Id, set: Record<string, unknown>, history: Record<string, unknown>): Promise<void>;
  /** Records the first answer; false when the lead was answered meanwhile. */
  markAnswered(leadId: Id, set: Record<string, unknown>, history: Record<string, unknown> | null): Promise<boolean>;
  /** The lead view kept on the conversation. */
  mirror(conversationId: Id | string, lead: { stage: string; value: number | null; currency: string | null }): Promise<void>;
  /** Stage, value, first response and history of the conversation's lead. */
  history(conversationId: string): Promise<Pick<
    LeadLean,
    'stage' | 'value' | 'currency' | 'history' | 'firstResponseSeconds'
  > | null>;
}

export const mongoLeadStore: LeadStore = {
  async ofConversation(conversationId, opts = {}) {
    return LeadModel.findOne({ conversationId, ...(opts.unanswered ? { answeredAt: null } : {}) }).lean();
  },
  async createOrganic(conversationId) {
    const conv = await ConversationModel.findById(conversationId).lean();
    if (!conv) return null;
    try {
      const created = await LeadModel.create({
        conversationId: conv._id,
        channelId: conv.channelId,
        contactId: conv.contactId,
        source: 'organic',
        chatAt: (conv as { createdAt?: Date }).createdAt ?? new Date(),
        history: [{ stage: 'new', at: new Date(), by: null }],
      });
      return created.toObject();
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return 'duplicate';
      throw err;
    }
  },
  async update(leadId, set, history) {
    await LeadModel.updateOne({ _id: leadId }, { $set: set, $push: { history } });
  },
  async markAnswered(leadId, set, history) {
    const r = await LeadModel.updateOne(
      { _id: leadId, answeredAt: null },
      { $set: set, ...(history ? { $push: { history } } : {}) },
    );
    return r.modifiedCount === 1;
  },
  async mirror(conversationId, lead) {
    await ConversationModel.updateOne({ _id: conversationId }, { $set: { lead } });
  },
  async history(conversationId) {
    return LeadModel.findOne({ conversationId }).select('stage value currency history firstResponseSeconds').lean();
  },
};
