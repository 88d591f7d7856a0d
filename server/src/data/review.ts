// Review queue storage: held outbound messages and their review items (who asked to send what, why it is held,
// the decision), the names shown beside them (contact handles, authors), holding a new message for review (stored
// `held`, never queued: no outbox) and turning a held message into a blocked one. Must never queue or send.
import type { MessageRecord } from '../models/message.js';
import type { ReviewItemRecord } from '../models/review-item.js';
import { ContactModel } from '../models/contact.js';
import { MessageModel } from '../models/message.js';
import { ReviewItemModel } from '../models/review-item.js';
import { UserModel } from '../models/user.js';
import type { Id } from './ids.js';

export type MessageLean = MessageRecord & { _id: Id };
export type ReviewItemLean = ReviewItemRecord & { _id: Id };

export type ReviewState = 'approved' | 'rejected' | 'refused';

/** A new held message and its review item. */
export interface NewHeld {
  message: {
    conversationId: Id;
    channelId: Id;
    contactId: Id;
    kind: 'text' | 'template';
    text: string;
    template: unknown;
    error: { code: string; reason: string };
  };
  item: {
    sender: { type: 'user' | 'integration'; id: string; name: string | null };
    request: unknown;
    reason: { code: string; message: string | null };
  };
}

export interface ReviewStore {
  /** The newest held messages (up to `limit`). */
  heldMessages(limit: number): Promise<MessageLean[]>;
  /** One message (held or not), or null. */
  message(id: string | Id): Promise<MessageLean | null>;
  /** The review items of these messages. */
  itemsOf(messageIds: Id[]): Promise<ReviewItemLean[]>;
  itemOf(messageId: Id): Promise<ReviewItemLean | null>;
  /** Pending items of one integration's held messages, oldest first. */
  pendingOfIntegration(integrationId: string): Promise<ReviewItemLean[]>;
  /** Contact handles by contact id. */
  handles(contactIds: unknown[]): Promise<Map<string, string>>;
  /** User names by user id. */
  userNames(userIds: unknown[]): Promise<Map<string, string>>;
  /** Stores a held message (no outbox entry) with its review item. */
  hold(h: NewHeld): Promise<MessageLean>;
  /** Held → blocked with this error; null when it is no longer held. */
  block(messageId: Id, error: { code: string; reason: string }): Promise<MessageLean | null>;
  /** Records the decision on the message's review item (creating one for a guard hold that has none). */
  saveDecision(
    msg: Pick<MessageLean, '_id' | 'conversationId' | 'contactId' | 'authorId'>,
    state: ReviewState,
    decidedBy: string,
    note: string | null,
    refused?: { code: string; message: string },
  ): Promise<void>;
}

export const mongoReviewStore: ReviewStore = {
  async heldMessages(limit) {
    return MessageModel.find({ status: 'held' }).sort({ createdAt: -1 }).limit(limit).lean();
  },
  async message(id) {
    return MessageModel.findById(id).lean();
  },
  async itemsOf(messageIds) {
    return ReviewItemModel.find({ messageId: { $in: messageIds } }).lean();
  },
  async itemOf(messageId) {
    return ReviewItemModel.findOne({ messageId }).lean();
  },
  async pendingOfIntegration(integrationId) {
    return ReviewItemModel.find({ 'sender.type': 'integration', 'sender.id': integrationId, state: 'pending' })
      .sort({ createdAt: 1 })
      .lean();
  },
  async handles(contactIds) {
    const rows = await ContactModel.find({ _id: { $in: contactIds } })
      .select('handle')
      .lean();
    return new Map(rows.map((c) => [String(c._id), c.handle]));
  },
  async userNames(userIds) {
    const rows = await UserModel.find({ _id: { $in: userIds } })
      .select('name')
      .lean();
    return new Map(rows.map((u) => [String(u._id), u.name as string]));
  },
  async hold({ message, item }) {
    const msg = await MessageModel.create({
      ...message,
      direction: 'out',
      status: 'held',
      statusAt: new Date(),
      outbox: null,
    });
    await ReviewItemModel.create({
      messageId: msg._id,
      conversationId: message.conversationId,
      contactId: message.contactId,
      ...item,
    });
    return msg.toObject();
  },
  async block(messageId, error) {
    return MessageModel.findOneAndUpdate(
      { _id: messageId, status: 'held' },
      { $set: { status: 'blocked', statusAt: new Date(), error } },
      { returnDocument: 'after' },
    ).lean();
  },
  async saveDecision(msg, state, decidedBy, note, refused) {
    await ReviewItemModel.updateOne(
      { messageId: msg._id },
      {
        $set: { state, note, decidedBy, decidedAt: new Date(), ...(refused ? { reason: refused } : {}) },
        $setOnInsert: {
          conversationId: msg.conversationId,
          contactId: msg.contactId,
          sender: { type: 'user', id: msg.authorId ? String(msg.authorId) : 'unknown', name: null },
          request: {},
          ...(refused ? {} : { reason: { code: 'held_for_review', message: null } }),
        },
      },
      { upsert: true },
    );
  },
};
