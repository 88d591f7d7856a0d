// Coalesced database operations of the inbound hot path. The intake applies many customers' messages at once; each
// step here gathers the calls made in the same event-loop turn into one command ($in lookups, one `insert`, one
// ordered `update`) and answers each caller with its own result, so a burst costs a handful of round trips per
// batch instead of per message. Semantics are those of the single-document operations they replace (see each).
// Reads and typed writes go through the raw driver: filters here are built from typed values (ObjectId, string) and
// lean results are the stored documents either way. Must never mix one caller's result with another's, and never
// turn a per-document failure into a batch failure where the single operation would have failed alone
// (duplicates are answered per document).
import { Types } from 'mongoose';
import { coalesce } from '../db/coalesce.js';
import { batchedInserts, batchedUpdates, updateCommand } from '../db/batched-model.js';
import { ContactIdentityModel } from '../models/contact-identity.js';
import { ContactModel } from '../models/contact.js';
import { ConversationModel } from '../models/conversation.js';
import { MessageModel, type MessageRecord } from '../models/message.js';
import { UNKNOWN_CONSENT, consentStates, type ConsentState } from '../policy/consent.js';
import type { ContactLean } from './contacts.js';
import type { ConversationLean } from './conversations.js';

/** One reply for a whole batch (the driver's default first batch is 101 documents, then a getMore each). */
const BATCH = 10_000;

const oid = (v: Types.ObjectId | string) => (typeof v === 'string' ? new Types.ObjectId(v) : v);

/** Groups items by a key, runs one query per group, answers in the callers' order. */
function grouped<I, O>(keyOf: (i: I) => string, run: (group: I[]) => Promise<Map<I, O>>) {
  return coalesce<I, O>(async (items) => {
    const groups = new Map<string, I[]>();
    for (const i of items) {
      const k = keyOf(i);
      const g = groups.get(k);
      if (g) g.push(i);
      else groups.set(k, [i]);
    }
    const answers = await Promise.all([...groups.values()].map(run));
    const all = new Map<I, O>();
    for (const a of answers) for (const [i, o] of a) all.set(i, o);
    return items.map((i) => all.get(i) as O);
  });
}

/** Whether this channel already stored a message with this provider id (redelivery check). */
export const messageExists = grouped<{ channelId: string; providerMessageId: string }, boolean>(
  (i) => i.channelId,
  async (group) => {
    const rows = await MessageModel.collection
      .find(
        { channelId: oid(group[0].channelId), providerMessageId: { $in: group.map((g) => g.providerMessageId) } },
        { projection: { providerMessageId: 1 }, batchSize: BATCH },
      )
      .toArray();
    const seen = new Set(rows.map((r) => r.providerMessageId));
    return new Map(group.map((g) => [g, seen.has(g.providerMessageId)]));
  },
);

export type IdentityRow = { kind: string; value: string; contactId: Types.ObjectId };

/** The contact_identities row of one identity, or null. */
export const findIdentity = grouped<{ kind: string; value: string }, IdentityRow | null>(
  (i) => i.kind,
  async (group) => {
    const rows = await ContactIdentityModel.collection
      .find<IdentityRow>(
        { kind: group[0].kind, value: { $in: group.map((g) => g.value) } },
        { projection: { kind: 1, value: 1, contactId: 1 }, batchSize: BATCH },
      )
      .toArray();
    const by = new Map(rows.map((r) => [r.value, r as IdentityRow]));
    return new Map(group.map((g) => [g, by.get(g.value) ?? null]));
  },
);

/** Links an identity to a contact; 'duplicate' when it is linked already (unique {kind, value}). */
export const insertIdentity = batchedInserts(ContactIdentityModel);

/** Creates-or-updates a contact by _id (a handle collision rejects with E11000: pick another and retry). */
export const upsertContact = batchedUpdates(ContactModel);

/** Opens a conversation; 'duplicate' when a concurrent event opened it (unique threadKey). */
export const insertConversation = batchedInserts<ConversationLean>(ConversationModel);

/** A document of `model` by id, or null (one $in read per batch). */
function byId<T extends { _id: Types.ObjectId }>(model: { collection: typeof ContactModel.collection }) {
  return coalesce<Types.ObjectId, T | null>(async (ids) => {
    const rows = await model.collection.find<T>({ _id: { $in: ids } }, { batchSize: BATCH }).toArray();
    const by = new Map(rows.map((r) => [String(r._id), r]));
    return ids.map((id) => by.get(String(id)) ?? null);
  });
}

/** A contact by id, or null. */
export const findContact = byId<ContactLean>(ContactModel);

/** $set fields and $addToSet identities on an existing contact (one ordered `update` command per batch). */
export const updateContact = coalesce<
  { id: Types.ObjectId; set: Record<string, unknown>; identities: Array<{ kind: string; value: string }> },
  true
>(async (items) => {
  // Values are typed already: the hot path skips mongoose's per-op casting.
  const updatedAt = new Date();
  await updateCommand(
    ContactModel,
    items.map((i) => ({
      q: { _id: i.id },
      u: {
        $set: { ...i.set, updatedAt },
        $addToSet: { identities: { $each: i.identities.map((x) => ({ kind: x.kind, value: x.value })) } },
      },
    })),
    true,
  );
  return items.map(() => true as const);
});

/** What finding a contact's thread needs of each conversation (the intake reads only these fields). */
export type ThreadHead = Pick<
  ConversationLean,
  '_id' | 'contactId' | 'status' | 'pendingReferral' | 'lastInboundAt' | 'createdAt'
>;
const THREAD_HEAD = { _id: 1, contactId: 1, status: 1, pendingReferral: 1, lastInboundAt: 1, createdAt: 1 };

/** The newest (by createdAt) few conversations of a contact on a channel. */
export const recentThreads = grouped<{ channelId: string; contactId: Types.ObjectId }, ThreadHead[]>(
  (i) => i.channelId,
  async (group) => {
    const rows = await ConversationModel.collection
      .find<ThreadHead>(
        { channelId: oid(group[0].channelId), contactId: { $in: group.map((g) => g.contactId) } },
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

/** Inserts one message document (defaults, validation and timestamps as MessageModel.create); 'duplicate' on E11000. */
export type MessageLean = MessageRecord & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };
export const insertMessage = batchedInserts<MessageLean>(MessageModel);

/** A typed update document: $set/$max/$inc of values stored as they are (Date, ObjectId, string, number). */
export interface ConversationUpdate {
  $set?: Record<string, unknown>;
  $max?: Record<string, Date>;
  $inc?: Record<string, number>;
}

export interface ConversationChange {
  id: Types.ObjectId;
  /** When the message is the newest: the update applied if lastMessageAt is null or ≤ at. */
  newest: ConversationUpdate;
  /** Otherwise (an older message arriving late): this update. */
  older: ConversationUpdate;
  at: Date;
}

const writeConversations = coalesce<ConversationChange, true>(async (items) => {
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

/** A conversation by id, or null. */
export const findConversation = byId<ConversationLean>(ConversationModel);

/** Applies an inbound message to its conversation; answers the conversation as it is now. */
export async function applyToConversation(change: ConversationChange): Promise<ConversationLean | null> {
  await writeConversations(change);
  return findConversation(change.id);
}

/** The consent state of one contact (consentStates batched). */
export const consentStateOf = coalesce<string, ConsentState>(async (ids) => {
  const map = await consentStates(ids);
  return ids.map((id) => map.get(id) ?? { ...UNKNOWN_CONSENT });
});
