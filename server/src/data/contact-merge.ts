// Merging two contacts that turned out to be one person, as storage operations. The decision is taken once, by
// one atomic update of the younger contact (`mergedInto` set only while it is still null, and only if neither is
// erased), so concurrent webhooks linking the same ids merge once; the re-pointing after it is idempotent and may
// run again (a second caller, or a contact merged into one that is itself being merged). It moves identity rows,
// conversations (a thread on a channel where the survivor already has one is folded into it: messages, counters,
// lead), messages, leads, consent events, suppression records, conversion events, abuse reports and review items.
// Must never delete a record, never merge an erased contact, and never decide consent (the caller does).
import { AbuseReportModel } from '../models/abuse-report.js';
import { CapiEventModel } from '../models/capi-event.js';
import { ConsentEventModel } from '../models/consent-event.js';
import { ContactIdentityModel } from '../models/contact-identity.js';
import { ContactModel } from '../models/contact.js';
import { ConversationModel } from '../models/conversation.js';
import { LeadModel } from '../models/lead.js';
import { MessageModel } from '../models/message.js';
import { ReviewItemModel } from '../models/review-item.js';
import { SuppressionModel } from '../models/suppression.js';
import type { Id } from './ids.js';

export interface MergeCandidate {
  _id: Id;
  createdAt?: Date | null;
  mergedInto?: Id | null;
  erasedAt?: Date | null;
}

export interface ContactMergeStore {
  /** The contacts by id (merged and erased ones included). */
  candidates(ids: Id[]): Promise<MergeCandidate[]>;
  /** Follows `mergedInto` to the contact that survives (the id itself when it was never merged). */
  root(id: Id): Promise<Id>;
  /** The one merge decision: marks `loser` merged into `survivor`; false when it was decided already. */
  claim(survivor: Id, loser: Id, at: Date): Promise<boolean>;
  /** Moves everything of `loser` onto `survivor` (idempotent); answers the conversations that changed. */
  repoint(survivor: Id, loser: Id): Promise<Id[]>;
}

/** The older contact survives (creation time, then id). */
export function survivorOf(a: MergeCandidate, b: MergeCandidate): MergeCandidate {
  const ta = a.createdAt?.getTime() ?? 0;
  const tb = b.createdAt?.getTime() ?? 0;
  if (ta !== tb) return ta < tb ? a : b;
  return String(a._id) < String(b._id) ? a : b;
}

async function candidates(ids: Id[]): Promise<MergeCandidate[]> {
  return ContactModel.find({ _id: { $in: ids } })
    .select('_id createdAt mergedInto erasedAt')
    .lean() as Promise<MergeCandidate[]>;
}

async function root(id: Id): Promise<Id> {
  let current = id;
  for (let hop = 0; hop < 16; hop++) {
    const c = await ContactModel.findById(current).select('mergedInto').lean();
    if (!c?.mergedInto) return current;
    current = c.mergedInto as Id;
  }
  return current;
}

async function claim(survivor: Id, loser: Id, at: Date): Promise<boolean> {
  if (String(survivor) === String(loser)) return false;
  // The survivor must be live: a survivor merged meanwhile would leave the loser pointing at a merged contact.
  const live = await ContactModel.exists({ _id: survivor, mergedInto: null, erasedAt: null });
  if (!live) return false;
  const r = await ContactModel.updateOne(
    { _id: loser, mergedInto: null, erasedAt: null },
    { $set: { mergedInto: survivor, mergedAt: at } },
  );
  return r.modifiedCount === 1;
}

/** Folds one of the loser's threads into the survivor's thread on the same channel. */
async function foldConversation(into: Id, from: Id, survivor: Id): Promise<void> {
  const src = await ConversationModel.findById(from).lean();
  if (!src) return;
  await MessageModel.updateMany({ conversationId: from }, { $set: { conversationId: into, contactId: survivor } });
  const max: Record<string, Date> = {};
  for (const k of ['lastMessageAt', 'lastInboundAt', 'windowExpiresAt'] as const) if (src[k]) max[k] = src[k];
  await ConversationModel.updateOne(
    { _id: into },
    { ...(Object.keys(max).length ? { $max: max } : {}), $inc: { unreadCount: src.unreadCount ?? 0 } },
  );
  // The thread's lead and attribution go along when the survivor's thread has none.
  if (!(await LeadModel.exists({ conversationId: into }))) {
    await LeadModel.updateOne({ conversationId: from }, { $set: { conversationId: into, contactId: survivor } });
  }
  if (src.lead) await ConversationModel.updateOne({ _id: into, lead: null }, { $set: { lead: src.lead } });
  if (src.attribution)
    await ConversationModel.updateOne({ _id: into, attribution: null }, { $set: { attribution: src.attribution } });
  // The emptied thread stays (closed, out of the lists) for the audit trail; its contact stays the merged one.
  await ConversationModel.updateOne(
    { _id: from },
    {
      $set: { status: 'closed', closedAt: new Date(), mergedInto: into, unreadCount: 0, lastMessagePreview: null },
      $unset: { threadKey: '' },
    },
  );
}

async function repoint(survivor: Id, loser: Id): Promise<Id[]> {
  const changed: Id[] = [];
  await ContactIdentityModel.updateMany({ contactId: loser }, { $set: { contactId: survivor } });
  const from = await ContactModel.findById(loser).lean();
  const into = await ContactModel.findById(survivor).lean();
  if (from && into) {
    const set: Record<string, unknown> = {};
    if (!into.phone && from.phone) set.phone = from.phone;
    if (!into.displayName && from.displayName) set.displayName = from.displayName;
    if (!into.username && from.username) set.username = from.username;
    await ContactModel.updateOne(
      { _id: survivor },
      {
        ...(Object.keys(set).length ? { $set: set } : {}),
        ...(from.lastSeenAt ? { $max: { lastSeenAt: from.lastSeenAt } } : {}),
        $addToSet: { identities: { $each: (from.identities ?? []).map((i) => ({ kind: i.kind, value: i.value })) } },
      },
    );
  }
  // Threads: one per channel for the survivor; the loser's thread on such a channel is folded into it.
  const theirs = await ConversationModel.find({ contactId: loser, mergedInto: null })
    .select('_id channelId')
    .lean();
  for (const t of theirs) {
    const mine = await ConversationModel.findOne({ contactId: survivor, channelId: t.channelId, mergedInto: null })
      .sort({ status: -1, lastMessageAt: -1 })
      .select('_id')
      .lean();
    if (mine) {
      await foldConversation(mine._id, t._id, survivor);
      changed.push(mine._id, t._id);
    } else {
      await ConversationModel.updateOne({ _id: t._id }, { $set: { contactId: survivor } });
      changed.push(t._id);
    }
  }
  const move = { $set: { contactId: survivor } };
  await MessageModel.updateMany({ contactId: loser }, move);
  await LeadModel.updateMany({ contactId: loser }, move);
  await ConsentEventModel.updateMany({ contactId: loser }, move);
  await SuppressionModel.updateMany({ contactId: loser }, move);
  await CapiEventModel.updateMany({ contactId: loser }, move);
  await AbuseReportModel.updateMany({ contactId: loser }, move);
  await ReviewItemModel.updateMany({ contactId: loser }, move);
  // The merged record keeps only its handle and the pointer: its personal data lives on the survivor now, so the
  // survivor's reveal, export and erasure cover every id.
  await ContactModel.updateOne(
    { _id: loser },
    { $set: { identities: [], lastSeenAt: null, phone: null, displayName: null, username: null } },
  );
  return changed;
}

export const mongoContactMerge: ContactMergeStore = { candidates, root, claim, repoint };
