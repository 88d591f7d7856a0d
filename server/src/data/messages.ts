// The message store: inbound, outbound, notes and system lines. The inbound hot path's calls are coalesced here
// (the redelivery check per channel with one $in on provider ids, inserts as one `insert` with defaults and
// validation as MessageModel.create); status progress, media settling, the outbox's leases and the thread's pages
// are single conditional commands. Records leave as plain lean objects. Must never send anything, publish, or
// decide status progress (callers pass the statuses a change may come from).
import { batchedInserts } from './batched-model.js';
import { BATCH, grouped } from './batch-helpers.js';
import { toId, type Id } from './ids.js';
import { MessageModel, type MessageRecord } from '../models/message.js';

export type { MessageRecord };
export type MessageLean = MessageRecord & { _id: Id; createdAt: Date; updatedAt: Date };

export interface MessageStore {
  /** Whether this channel already stored a message with this provider id (redelivery check). */
  seen(channelId: string, providerMessageId: string): Promise<boolean>;
  /** Stores one inbound message (defaults, validation, timestamps); 'duplicate' when it is stored already. */
  insertInbound(doc: Record<string, unknown>): Promise<MessageLean | 'duplicate'>;
  /** Stores one message (an outbound send, a note, a refused attempt). */
  insert(doc: Record<string, unknown>): Promise<MessageLean>;
  /** A message by id, or null. */
  get(id: Id | string): Promise<MessageLean | null>;
  /** Sets a status on the message of a provider id when its current status is one of `from`; null otherwise. */
  advanceStatus(
    channelId: string,
    providerMessageId: string,
    from: readonly string[],
    set: Record<string, unknown>,
  ): Promise<MessageLean | null>;
  /** Whether this channel stored a message with this provider id. */
  hasProviderId(channelId: string, providerMessageId: string): Promise<boolean>;
  /** Inbound media still pending after a minute (crash leftovers), up to 50. */
  staleInboundMedia(): Promise<Id[]>;
  /** Settles a pending media download ($set of media.* fields); null when it was settled already. */
  settleMedia(id: Id, set: Record<string, unknown>): Promise<MessageLean | null>;
  /** Turns a held message into `fields` (a review release); null when it is no longer held. */
  releaseHeld(id: string, fields: Record<string, unknown>): Promise<MessageLean | null>;
  /** The paging position of a message of this conversation, or null. */
  position(conversationId: Id, messageId: string): Promise<{ _id: Id; createdAt: Date } | null>;
  /** Up to `limit` messages of a conversation, newest first, optionally strictly before a position. */
  page(conversationId: Id, before: { _id: Id; createdAt: Date } | null, limit: number): Promise<MessageLean[]>;
  /** Takes the oldest due queued send for this process until `lockedUntil` (attempts + 1); null when none. */
  claimSend(now: Date, lockedUntil: Date): Promise<MessageLean | null>;
  /** Takes a send left `sending` with an expired lease (its process died) until `lockedUntil`; null when none. */
  takeAbandonedSend(now: Date, lockedUntil: Date): Promise<MessageLean | null>;
  /** The current status of a message. */
  statusOf(id: Id): Promise<string | undefined>;
  /** The provider accepted the send: its id, the status, outbox done. */
  markSent(id: Id, providerMessageId: string, status: string): Promise<void>;
  /** A transient failure: back to pending until `nextAttemptAt`. */
  retrySendAt(id: Id, nextAttemptAt: Date): Promise<void>;
  /** The send failed for good; answers the message after. */
  markSendFailed(id: Id, error: { code: string; reason: string }): Promise<MessageLean | null>;
  /** Stores the provider's pricing on a message (by provider id) whatever its status; true when one matched. */
  setPricing(channelId: string, providerMessageId: string, pricing: object): Promise<boolean>;
}

const messageExists = grouped<{ channelId: string; providerMessageId: string }, boolean>(
  (i) => i.channelId,
  async (group) => {
    const rows = await MessageModel.collection
      .find(
        { channelId: toId(group[0].channelId), providerMessageId: { $in: group.map((g) => g.providerMessageId) } },
        { projection: { providerMessageId: 1 }, batchSize: BATCH },
      )
      .toArray();
    const seen = new Set(rows.map((r) => r.providerMessageId));
    return new Map(group.map((g) => [g, seen.has(g.providerMessageId)]));
  },
);

const insertMessage = batchedInserts<MessageLean>(MessageModel);

const lean = (m: unknown) => m as MessageLean | null;

export const mongoMessages: MessageStore = {
  setPricing: async (channelId, providerMessageId, pricing) =>
    (
      await MessageModel.updateOne(
        { channelId: toId(channelId), providerMessageId, direction: 'out' },
        { $set: { pricing } },
      )
    ).matchedCount > 0,
  seen: (channelId, providerMessageId) => messageExists({ channelId, providerMessageId }),
  insertInbound: (doc) => insertMessage(doc),
  insert: async (doc) => (await MessageModel.create(doc)).toObject() as MessageLean,
  get: async (id) => lean(await MessageModel.findById(id).lean()),
  advanceStatus: async (channelId, providerMessageId, from, set) =>
    lean(
      await MessageModel.findOneAndUpdate(
        { channelId, providerMessageId, status: { $in: [...from] } } as Record<string, unknown>,
        { $set: set },
        { returnDocument: 'after' },
      ).lean(),
    ),
  hasProviderId: async (channelId, providerMessageId) =>
    (await MessageModel.exists({ channelId, providerMessageId })) !== null,
  staleInboundMedia: async () =>
    (
      await MessageModel.find({
        direction: 'in',
        'media.state': 'pending',
        createdAt: { $lt: new Date(Date.now() - 60_000) },
      })
        .select('_id')
        .limit(50)
        .lean()
    ).map((r) => r._id),
  settleMedia: async (id, set) =>
    lean(
      await MessageModel.findOneAndUpdate(
        { _id: id, 'media.state': 'pending' },
        { $set: set },
        { returnDocument: 'after' },
      ).lean(),
    ),
  releaseHeld: async (id, fields) =>
    lean(
      await MessageModel.findOneAndUpdate(
        { _id: id, status: 'held' },
        { $set: fields },
        { returnDocument: 'after' },
      ).lean(),
    ),
  position: async (conversationId, messageId) =>
    (await MessageModel.findOne({ _id: messageId, conversationId }).select('createdAt').lean()) as {
      _id: Id;
      createdAt: Date;
    } | null,
  page: async (conversationId, before, limit) => {
    const filter: Record<string, unknown> = { conversationId };
    if (before)
      filter.$or = [{ createdAt: { $lt: before.createdAt } }, { createdAt: before.createdAt, _id: { $lt: before._id } }];
    return (await MessageModel.find(filter).sort({ createdAt: -1, _id: -1 }).limit(limit).lean()) as MessageLean[];
  },
  claimSend: async (now, lockedUntil) =>
    lean(
      await MessageModel.findOneAndUpdate(
        { 'outbox.state': 'pending', 'outbox.nextAttemptAt': { $lte: now } },
        { $set: { 'outbox.state': 'sending', 'outbox.lockedUntil': lockedUntil }, $inc: { 'outbox.attempts': 1 } },
        { sort: { 'outbox.nextAttemptAt': 1 }, returnDocument: 'after' },
      ).lean(),
    ),
  takeAbandonedSend: async (now, lockedUntil) =>
    lean(
      await MessageModel.findOneAndUpdate(
        { 'outbox.state': 'sending', 'outbox.lockedUntil': { $lt: now } },
        { $set: { 'outbox.lockedUntil': lockedUntil } },
        { returnDocument: 'after' },
      ).lean(),
    ),
  statusOf: async (id) => (await MessageModel.findById(id).select('status').lean())?.status,
  markSent: async (id, providerMessageId, status) => {
    await MessageModel.updateOne(
      { _id: id },
      {
        $set: {
          providerMessageId,
          status,
          statusAt: new Date(),
          'outbox.state': 'done',
          'outbox.lockedUntil': null,
        },
      },
    );
  },
  retrySendAt: async (id, nextAttemptAt) => {
    await MessageModel.updateOne(
      { _id: id },
      { $set: { 'outbox.state': 'pending', 'outbox.nextAttemptAt': nextAttemptAt, 'outbox.lockedUntil': null } },
    );
  },
  markSendFailed: async (id, error) =>
    lean(
      await MessageModel.findOneAndUpdate(
        { _id: id },
        {
          $set: {
            status: 'failed',
            statusAt: new Date(),
            error,
            'outbox.state': 'failed',
            'outbox.lockedUntil': null,
          },
        },
        { returnDocument: 'after' },
      ).lean(),
    ),
};
