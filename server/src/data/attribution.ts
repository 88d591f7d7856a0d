// What a conversation's first inbound message writes and reads for attribution — on the hot path of an ad burst,
// so lookups and writes are coalesced across concurrent chats: does the conversation have a lead (one $in per
// batch), insert the lead (one insert command per batch; 'duplicate' when it exists), store the Attribution view
// on the message and the conversation (one bulk write per collection per batch). Also the click a ref code names,
// claiming it for a conversation (once), and the ad / link a click points at. Must never put ctwa_clid or a PSID
// into an Attribution view.
import type { Attribution } from '../../../shared/src/index.js';
import { batchedInserts, batchedUpdates } from './batched-model.js';
import { coalesce } from './coalesce.js';
import { AdModel } from '../models/ad.js';
import { ConversationModel } from '../models/conversation.js';
import { LeadModel, type LeadRecord } from '../models/lead.js';
import { LinkClickModel } from '../models/link-click.js';
import { MessageModel } from '../models/message.js';
import { TrackedLinkModel } from '../models/tracked-link.js';
import type { AdLean } from './campaigns.js';
import { toId, type Id } from './ids.js';
import type { LinkClickLean } from './links.js';

export interface AttributionStore {
  /** Whether the conversation already has a lead (coalesced). */
  leadExists(conversationId: string): Promise<boolean>;
  clickByCode(code: string): Promise<LinkClickLean | null>;
  /** Claims the click for the conversation; false when another conversation has it already. */
  claimClick(clickId: Id, conversationId: string): Promise<boolean>;
  ad(id: unknown): Promise<AdLean | null>;
  linkName(linkId: unknown): Promise<string | null>;
  /** Inserts the lead (batched); 'duplicate' when the conversation has one. */
  insertLead(lead: Record<string, unknown>): Promise<(LeadRecord & { _id: Id }) | 'duplicate'>;
  /** The Attribution view on the first message and, with a new lead view, on the conversation (batched). */
  storeAttribution(messageId: string, conversationId: string, view: Attribution): Promise<void>;
}

// The first-message path runs for every new chat of an ad burst: its writes are batched across concurrent chats.
const insertLead = batchedInserts<LeadRecord & { _id: Id }>(LeadModel);
const updateMessage = batchedUpdates(MessageModel, { strict: false });
const updateConversation = batchedUpdates(ConversationModel);
const leadExists = coalesce<string, boolean>(async (ids) => {
  const rows = await LeadModel.find({ conversationId: { $in: ids.map((id) => toId(id)) } })
    .select('conversationId')
    .lean();
  const have = new Set(rows.map((r) => String(r.conversationId)));
  return ids.map((id) => have.has(id));
});

export const mongoAttributionStore: AttributionStore = {
  leadExists,
  async clickByCode(code) {
    return LinkClickModel.findOne({ code }).lean();
  },
  async claimClick(clickId, conversationId) {
    const r = await LinkClickModel.updateOne(
      { _id: clickId, conversationId: null },
      { $set: { conversationId: toId(conversationId) } },
    );
    return r.modifiedCount === 1;
  },
  async ad(id) {
    return AdModel.findById(id).lean();
  },
  async linkName(linkId) {
    return (await TrackedLinkModel.findById(linkId).select('name').lean())?.name ?? null;
  },
  insertLead,
  async storeAttribution(messageId, conversationId, view) {
    await Promise.all([
      updateMessage({ filter: { _id: messageId }, update: { $set: { attribution: view } } }),
      updateConversation({
        filter: { _id: conversationId },
        update: { $set: { attribution: view, lead: { stage: 'new', value: null, currency: null } } },
      }),
    ]);
  },
};
