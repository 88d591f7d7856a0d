// Reads for rendering bus facts as views: a conversation with its contact and consent state, a contact's
// conversations, and the coalesced contact / consent lookups the realtime listener makes for each
// `conversation.updated` (every call in one event-loop turn joins one `$in` query, so a burst of inbound messages
// costs one contact read and one consent read per batch). Answers plain records (bus facts). Must never write,
// and never render or mask (inbox/views.ts does).
import { Types } from 'mongoose';
import type { ConsentFact, ContactFact, ConversationFact } from '../../../shared/src/index.js';
import { coalesce } from './coalesce.js';
import { contactFact, conversationFact } from '../events/publish.js';
import { ContactModel } from '../models/contact.js';
import { ConversationModel } from '../models/conversation.js';
import { UNKNOWN_CONSENT, consentStates } from './consent.js';

export interface ConversationState {
  conversation: ConversationFact;
  contact: ContactFact;
  consent: ConsentFact;
}

/** A contact by id, or null (one `$in` read per event-loop turn). */
export const contactOf = coalesce<string, ContactFact | null>(async (ids) => {
  const valid = [...new Set(ids)].filter((id) => Types.ObjectId.isValid(id));
  const rows = valid.length ? await ContactModel.find({ _id: { $in: valid } }).lean() : [];
  const by = new Map(rows.map((c) => [String(c._id), contactFact(c)]));
  return ids.map((id) => by.get(id) ?? null);
});

/** The consent state of a contact (consentStates batched: one read per event-loop turn). */
export const consentOf = coalesce<string, ConsentFact>(async (ids) => {
  const map = await consentStates(ids);
  return ids.map((id) => map.get(id) ?? { ...UNKNOWN_CONSENT });
});

/** A conversation as it is now, with its contact and consent; null when either is gone. */
export async function conversationState(id: string | Types.ObjectId): Promise<ConversationState | null> {
  const conv = await ConversationModel.findById(id).lean();
  if (!conv) return null;
  const contactId = String(conv.contactId);
  const [contact, consent] = await Promise.all([contactOf(contactId), consentOf(contactId)]);
  return contact ? { conversation: conversationFact(conv), contact, consent } : null;
}

/** Every conversation of a contact (consent badges change on all of them). */
export async function conversationsOfContact(contactId: string): Promise<ConversationFact[]> {
  if (!Types.ObjectId.isValid(contactId)) return [];
  const rows = await ConversationModel.find({ contactId: new Types.ObjectId(contactId) }).lean();
  return rows.map(conversationFact);
}
