// The conversation store: threads between a contact and a channel. The inbound hot path's calls are coalesced here
// (recent threads per channel with one $in, thread inserts as one `insert`, inbound changes as one ordered `update`
// of complementary newest/older statements, reads by id with one $in); the console's list query (visibility,
// filters, search, cursor), agent actions, outbound bookkeeping and attribution-on-arrival are plain calls.
// Records leave as plain lean objects. Must never decide who may see what (inbox/access does) and never publish.
import { batchedInserts, updateCommand } from './batched-model.js';
import { BATCH, byId, grouped } from './batch-helpers.js';
import { coalesce } from './coalesce.js';
import { toId, type Id } from './ids.js';
import { ConversationModel, type ConversationRecord } from '../models/conversation.js';

export type { ConversationRecord };
export type ConversationLean = ConversationRecord & { _id: Id };

/** What finding a contact's thread needs of each conversation (the intake reads only these fields). */
export type ThreadHead = Pick<
  ConversationLean,
  '_id' | 'contactId' | 'status' | 'pendingReferral' | 'lastInboundAt' | 'createdAt'
>;
const THREAD_HEAD = { _id: 1, contactId: 1, status: 1, pendingReferral: 1, lastInboundAt: 1, createdAt: 1 };

/** A typed update document: $set/$max/$inc of values stored as they are (Date, ObjectId, string, number). */
export interface ConversationUpdate {
  $set?: Record<string, unknown>;
  $max?: Record<string, Date>;
  $inc?: Record<string, number>;
}

export interface InboundChange {
  id: Id;
  /** When the message is the newest: the update applied if lastMessageAt is null or ≤ at. */
  newest: ConversationUpdate;
  /** Otherwise (an older message arriving late): this update. */
  older: ConversationUpdate;
  at: Date;
}

export interface NewThread {
  channelId: Id | string;
  contactId: Id;
  replyTo: { kind: string; value: string };
  threadKey: string;
}

export interface ConversationListFilter {
  /** The channels the user may see; null: every channel. */
  channelIds: Id[] | null;
  status?: string;
  /** null: unassigned; undefined: anyone. */
  assigneeId?: Id | null;
  channelId?: Id;
  campaignId?: string;
  labelId?: Id;
  /** Lower-cased text the search text must contain. */
  search?: string;
  /** Cursor: conversations strictly after this (lastMessageAt, _id) in the list order. */
  after?: { at: Date; id: Id };
}

export interface ConversationStore {
  /** The newest (by createdAt) few conversations of a contact on a channel. */
  recentThreads(channelId: string, contactId: Id): Promise<ThreadHead[]>;
  /** Opens a thread (status open); 'duplicate' when a concurrent event opened it (unique threadKey). */
  open(thread: NewThread): Promise<ConversationLean | 'duplicate'>;
  /** Applies an inbound message's change; answers the conversation as it is now. */
  applyInbound(change: InboundChange): Promise<ConversationLean | null>;
  /** A conversation by id, or null (coalesced: the inbound path's read). */
  byId(id: Id): Promise<ConversationLean | null>;
  /** A conversation by id, or null (one findOne). */
  get(id: Id | string): Promise<ConversationLean | null>;
  /** Clears the referral kept for the next message; answers the conversation after. */
  clearPendingReferral(id: Id): Promise<ConversationLean | null>;
  /** Keeps a referral-only event's referral for the customer's next message. */
  keepPendingReferral(id: Id, referral: object): Promise<void>;
  /** Sets the attribution only when the conversation has none yet. True when it was set. */
  attributeIfUnset(id: Id, attribution: object): Promise<boolean>;
  /** Attributions with an ad id of the newest conversations (up to 200), newest first. */
  recentAdAttributions(): Promise<unknown[]>;
  /** $set fields on one conversation. */
  set(id: Id | string, fields: Record<string, unknown>): Promise<void>;
  /** An outbound message was queued: list order, preview, read, and a pending thread becomes open. */
  recordOutbound(id: Id, o: { at: Date; preview: string; reopenPending: boolean }): Promise<void>;
  /** Whether any conversation lives on this channel. */
  anyOnChannel(channelId: Id): Promise<boolean>;
  /** A page of the list, newest activity first (lastMessageAt, then _id, descending). */
  list(filter: ConversationListFilter, limit: number): Promise<ConversationLean[]>;
  /** Adds and removes label ids (set semantics); false when the conversation does not exist. */
  changeLabels(id: Id | string, add: Id[], remove: Id[]): Promise<boolean>;
  /** Reopens one snoozed conversation whose time has come (one atomic findOneAndUpdate); null when none is due. */
  reopenOneDueSnooze(now: Date): Promise<ConversationLean | null>;
}

const recentThreads = grouped<{ channelId: string; contactId: Id }, ThreadHead[]>(
  (i) => i.channelId,
  async (group) => {
    const rows = await ConversationModel.collection
      .find<ThreadHead>(
        { channelId: toId(group[0].channelId), contactId: { $in: group.map((g) => g.contactId) } },
        { projection: THREAD_HEAD, batchSize: BATCH },
      )
      .toArray();
    const by = new Map<string, ThreadHead[]>();
    for (const r of rows) {
      const k = String(r.contactId);
      const list = by.get(k);
      if (list) list.push(r);
      else by.set(k, [r]);
    }
    const newestFirst = (a: ThreadHead, b: ThreadHead) =>
      new Date(b.createdAt as Date).getTime() - new Date(a.createdAt as Date).getTime();
    return new Map(group.map((g) => [g, (by.get(String(g.contactId)) ?? []).sort(newestFirst).slice(0, 5)]));
  },
);

const insertConversation = batchedInserts<ConversationLean>(ConversationModel);
const findConversation = byId<ConversationLean>(ConversationModel);

const writeInbound = coalesce<InboundChange, true>(async (items) => {
  // Exactly one of each pair applies: the filters are complements, and ops run in order. The changes are built
  // typed by ingest (dates, ids, plain {kind, value}); only updatedAt is added here.
  const updatedAt = new Date();
  const stamped = (u: ConversationUpdate): ConversationUpdate => ({ ...u, $set: { ...u.$set, updatedAt } });
  await updateCommand(
    ConversationModel,
    items.flatMap((c) => [
      { q: { _id: c.id, $or: [{ lastMessageAt: null }, { lastMessageAt: { $lte: c.at } }] }, u: stamped(c.newest) },
      { q: { _id: c.id, lastMessageAt: { $gt: c.at } }, u: stamped(c.older) },
    ]),
    true,
  );
  return items.map(() => true as const);
});

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function listQuery(f: ConversationListFilter): Record<string, unknown> {
  const and: Record<string, unknown>[] = [f.channelIds ? { channelId: { $in: f.channelIds } } : {}];
  and.push({ mergedInto: null }); // threads folded into another by a contact merge
  if (f.status) and.push({ status: f.status });
  if (f.assigneeId !== undefined) and.push({ assigneeId: f.assigneeId });
  if (f.channelId) and.push({ channelId: f.channelId });
  if (f.campaignId) and.push({ 'attribution.campaignId': f.campaignId });
  if (f.labelId) and.push({ labelIds: f.labelId });
  if (f.search) and.push({ searchText: { $regex: escapeRegex(f.search) } });
  if (f.after) {
    const c = f.after;
    and.push({ $or: [{ lastMessageAt: { $lt: c.at } }, { lastMessageAt: c.at, _id: { $lt: c.id } }] });
  }
  return { $and: and };
}

export const mongoConversations: ConversationStore = {
  recentThreads: (channelId, contactId) => recentThreads({ channelId, contactId }),
  open: (t) =>
    insertConversation({
      channelId: t.channelId,
      contactId: t.contactId,
      status: 'open',
      replyTo: t.replyTo,
      threadKey: t.threadKey,
    }),
  async applyInbound(change) {
    await writeInbound(change);
    return findConversation(change.id);
  },
  byId: (id) => findConversation(id),
  get: async (id) => (await ConversationModel.findById(id).lean()) as ConversationLean | null,
  clearPendingReferral: async (id) =>
    (await ConversationModel.findOneAndUpdate(
      { _id: id },
      { $set: { pendingReferral: null } },
      { returnDocument: 'after' },
    ).lean()) as ConversationLean | null,
  keepPendingReferral: async (id, referral) => {
    await ConversationModel.updateOne({ _id: id }, { $set: { pendingReferral: referral } });
  },
  attributeIfUnset: async (id, attribution) => {
    const r = await ConversationModel.updateOne({ _id: id, attribution: null }, { $set: { attribution } });
    return r.modifiedCount > 0;
  },
  recentAdAttributions: async () =>
    (
      await ConversationModel.find({ 'attribution.adId': { $type: 'string' } })
        .sort({ createdAt: -1 })
        .limit(200)
        .select('attribution')
        .lean()
    ).map((r) => r.attribution),
  set: async (id, fields) => {
    await ConversationModel.updateOne({ _id: id }, { $set: fields });
  },
  recordOutbound: async (id, o) => {
    await ConversationModel.updateOne(
      { _id: id },
      {
        $set: {
          lastMessageAt: o.at,
          lastMessagePreview: o.preview,
          unreadCount: 0,
          ...(o.reopenPending ? { status: 'open' } : {}),
        },
      },
    );
  },
  anyOnChannel: async (channelId) => (await ConversationModel.exists({ channelId })) !== null,
  async changeLabels(id, add, remove) {
    // Two statements: MongoDB refuses $addToSet and $pull on one field in one update.
    const found = await ConversationModel.updateOne({ _id: id }, { $addToSet: { labelIds: { $each: add } } });
    if (found.matchedCount === 0) return false;
    if (remove.length) await ConversationModel.updateOne({ _id: id }, { $pull: { labelIds: { $in: remove } } });
    return true;
  },
  reopenOneDueSnooze: async (now) =>
    (await ConversationModel.findOneAndUpdate(
      { status: 'snoozed', snoozedUntil: { $lte: now } },
      { $set: { status: 'open', snoozedUntil: null } },
      { returnDocument: 'after' },
    ).lean()) as ConversationLean | null,
  list: async (filter, limit) =>
    (await ConversationModel.find(listQuery(filter))
      .sort({ lastMessageAt: -1, _id: -1 })
      .limit(limit)
      .lean()) as ConversationLean[],
};
