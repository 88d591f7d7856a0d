// The audit trail's storage: the chain's last link, appending one entry (a clash on `seq` — another process took
// it — is answered as 'taken', never as an error), searching entries newest first, the entries about one contact
// and a stream of every entry in seq order. Must never edit or delete an entry.
import { AuditEntryModel, type AuditEntryRecord } from '../models/audit-entry.js';

export type { AuditEntryRecord };
export type AuditEntryLean = AuditEntryRecord & { _id: unknown };

/** One link of the chain as stored. */
export interface NewAuditEntry {
  seq: number;
  at: Date;
  actor: { type: 'user' | 'integration' | 'customer' | 'system'; id: string | null; name: string | null };
  action: string;
  target: { type: string | null; id: string | null };
  details: unknown;
  prevHash: string;
  hash: string;
}

export interface AuditSearch {
  /** Matches the actor's id or type exactly, or its name case-insensitively as a substring. */
  actor?: string;
  /** Prefix of the action ("message." matches every message action). */
  actionPrefix?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
  /** Entries with a seq below this one. */
  beforeSeq?: number;
  limit: number;
}

export interface AuditStore {
  /** The newest entry's seq and hash (null on an empty trail). */
  last(): Promise<{ seq: number; hash: string } | null>;
  /** Appends one entry; 'taken' when its seq is already used. */
  append(entry: NewAuditEntry): Promise<'ok' | 'taken'>;
  /** Entries matching the search, newest (highest seq) first. */
  search(q: AuditSearch): Promise<AuditEntryLean[]>;
  /** Entries whose target or details name this contact, oldest first. */
  aboutContact(contactId: string): Promise<AuditEntryLean[]>;
  /** Every entry in seq order (streamed). */
  all(): AsyncIterable<AuditEntryLean>;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export const mongoAuditStore: AuditStore = {
  async last() {
    const last = await AuditEntryModel.findOne().sort({ seq: -1 }).select('seq hash').lean();
    return last ? { seq: last.seq, hash: last.hash } : null;
  },

  async append(entry) {
    try {
      await AuditEntryModel.create(entry);
      return 'ok';
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return 'taken';
      throw err;
    }
  },

  async search(q) {
    const filter: Record<string, unknown> = {};
    if (q.actor) {
      filter.$or = [
        { 'actor.id': q.actor },
        { 'actor.name': { $regex: escapeRe(q.actor), $options: 'i' } },
        { 'actor.type': q.actor },
      ];
    }
    if (q.actionPrefix) filter.action = { $regex: `^${escapeRe(q.actionPrefix)}` };
    if (q.targetId) filter['target.id'] = q.targetId;
    if (q.from || q.to) filter.at = { ...(q.from ? { $gte: q.from } : {}), ...(q.to ? { $lte: q.to } : {}) };
    if (q.beforeSeq !== undefined) filter.seq = { $lt: q.beforeSeq };
    return (await AuditEntryModel.find(filter).sort({ seq: -1 }).limit(q.limit).lean()) as AuditEntryLean[];
  },

  async aboutContact(contactId) {
    return (await AuditEntryModel.find({ $or: [{ 'target.id': contactId }, { 'details.contactId': contactId }] })
      .sort({ seq: 1 })
      .lean()) as AuditEntryLean[];
  },

  async *all() {
    const cursor = AuditEntryModel.find().sort({ seq: 1 }).lean().cursor({ batchSize: 500 });
    try {
      for await (const doc of cursor) yield doc as AuditEntryLean;
    } finally {
      await cursor.close();
    }
  },
};
