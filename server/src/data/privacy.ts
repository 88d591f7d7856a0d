// What the contact privacy flows read: a contact and whether one of its conversations is in a user's channels,
// the identifiers and one message's full text for an audited reveal, and every record held about a contact for
// the data-subject export. Read-only; must never be used to build an API view without the caller's masking.
import { ContactIdentityModel } from '../models/contact-identity.js';
import { ContactModel, type ContactRecord } from '../models/contact.js';
import { ConversationModel, type ConversationRecord } from '../models/conversation.js';
import { LeadModel, type LeadRecord } from '../models/lead.js';
import { MessageModel, type MessageRecord } from '../models/message.js';
import { toId, type Id } from './ids.js';

export type ContactLean = ContactRecord & { _id: Id; createdAt?: Date | null };
export type ConversationLean = ConversationRecord & { _id: Id; createdAt?: Date | null };
export type MessageLean = MessageRecord & { _id: Id };
export type LeadLean = LeadRecord & { _id: Id };

/** The channels a user's conversations are limited to (every channel, or these). */
export type ChannelScope = { all: true } | { all: false; channelIds: string[] };

export interface ExportRecords {
  identities: Array<{ kind: string; value: string; createdAt?: Date | null }>;
  conversations: ConversationLean[];
  /** With the unmasked full text. */
  messages: MessageLean[];
  /** With click ids and PSIDs. */
  leads: LeadLean[];
}

export interface PrivacyStore {
  contact(id: string): Promise<ContactLean | null>;
  /** The channel of one of the contact's conversations inside the scope, or null when there is none. */
  visibleChannelOf(contactId: Id, scope: ChannelScope): Promise<string | null>;
  /** One message of this contact, with its full text; null when it is not theirs. */
  messageOf(contactId: Id, messageId: string): Promise<Pick<MessageLean, '_id' | 'text' | 'fullText' | 'conversationId'> | null>;
  conversationVisible(conversationId: Id, scope: ChannelScope): Promise<boolean>;
  identities(contactId: Id): Promise<Array<{ kind: string; value: string }>>;
  /** Every record of the contact, each list oldest first. */
  exportRecords(contactId: Id): Promise<ExportRecords>;
  /** The contact's conversations. */
  conversationsOf(contactId: Id): Promise<ConversationLean[]>;
}

const scoped = (scope: ChannelScope): Record<string, unknown> =>
  scope.all ? {} : { channelId: { $in: scope.channelIds.map((id) => toId(id)) } };

export const mongoPrivacyStore: PrivacyStore = {
  async contact(id) {
    return ContactModel.findById(id).lean();
  },
  async visibleChannelOf(contactId, scope) {
    const conv = await ConversationModel.findOne({ $and: [{ contactId }, scoped(scope)] })
      .select('channelId')
      .lean();
    return conv ? String(conv.channelId) : null;
  },
  async messageOf(contactId, messageId) {
    return MessageModel.findOne({ _id: messageId, contactId }).select('+fullText text conversationId').lean();
  },
  async conversationVisible(conversationId, scope) {
    return Boolean(await ConversationModel.exists({ $and: [{ _id: conversationId }, scoped(scope)] }));
  },
  async identities(contactId) {
    return ContactIdentityModel.find({ contactId }).select('kind value').lean();
  },
  async exportRecords(contactId) {
    const [identities, conversations, messages, leads] = await Promise.all([
      ContactIdentityModel.find({ contactId }).lean(),
      ConversationModel.find({ contactId }).sort({ createdAt: 1 }).lean(),
      MessageModel.find({ contactId }).select('+fullText').sort({ createdAt: 1 }).lean(),
      LeadModel.find({ contactId }).select('+ctwaClid +pageId +psid').lean(),
    ]);
    return { identities, conversations, messages, leads };
  },
  async conversationsOf(contactId) {
    return ConversationModel.find({ contactId }).lean();
  },
};
