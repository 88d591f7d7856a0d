// Integration storage: the approved-sender records (token hash only, approval, revocation, last use) and what the
// integration API reads to address a send — a conversation by id or a contact's latest one, and whether the contact
// was erased. Must never store or log a token.
import type { IntegrationRecord } from '../models/integration.js';
import { ContactModel } from '../models/contact.js';
import { ConversationModel, type ConversationRecord } from '../models/conversation.js';
import { IntegrationModel } from '../models/integration.js';
import { toId, type Id } from './ids.js';

export type IntegrationLean = IntegrationRecord & { _id: Id };
export type ConversationLean = ConversationRecord & { _id: Id };

export interface IntegrationStore {
  list(): Promise<IntegrationLean[]>;
  create(i: { name: string; tokenHash: string; createdBy: string | null }): Promise<IntegrationLean>;
  byId(id: string | Id): Promise<IntegrationLean | null>;
  /** A token's integration, unless revoked. */
  byTokenHash(tokenHash: string): Promise<IntegrationLean | null>;
  approve(id: Id, approvedAt: Date, approvedBy: string): Promise<void>;
  revoke(id: Id, revokedAt: Date): Promise<void>;
  touch(id: Id, at: Date): Promise<void>;
  conversation(id: string): Promise<ConversationLean | null>;
  /** The contact's most recent conversation. */
  latestConversationOf(contactId: string): Promise<ConversationLean | null>;
  contactErasedAt(contactId: Id): Promise<Date | null>;
}

export const mongoIntegrationStore: IntegrationStore = {
  async list() {
    return IntegrationModel.find().sort({ createdAt: 1 }).lean();
  },
  async create(i) {
    return (await IntegrationModel.create(i)).toObject();
  },
  async byId(id) {
    return IntegrationModel.findById(id).lean();
  },
  async byTokenHash(tokenHash) {
    return IntegrationModel.findOne({ tokenHash, revokedAt: null }).lean();
  },
  async approve(id, approvedAt, approvedBy) {
    await IntegrationModel.updateOne({ _id: id }, { $set: { approved: true, approvedAt, approvedBy } });
  },
  async revoke(id, revokedAt) {
    await IntegrationModel.updateOne({ _id: id }, { $set: { revokedAt, approved: false } });
  },
  async touch(id, at) {
    await IntegrationModel.updateOne({ _id: id }, { $set: { lastUsedAt: at } });
  },
  async conversation(id) {
    return ConversationModel.findById(id).lean();
  },
  async latestConversationOf(contactId) {
    return ConversationModel.findOne({ contactId: toId(contactId) })
      .sort({ lastMessageAt: -1, createdAt: -1 })
      .lean();
  },
  async contactErasedAt(contactId) {
    const c = await ContactModel.findById(contactId).select('erasedAt').lean();
    return c?.erasedAt ?? null;
  },
};
