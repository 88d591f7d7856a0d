// Verifies the hash-chained audit trail: walks every entry in seq order, recomputes each hash from the previous
// entry's hash and the entry's content, and reports the first entry that does not fit (edited content, a broken
// link, an inserted or removed entry, a gap or reordering in seq). Read-only: must never modify the trail.
import { mongoAuditStore, type AuditStore } from '../data/audit.js';
import { GENESIS_HASH, entryHash, type HashedContent } from './audit.js';

export interface VerifyResult {
  ok: boolean;
  /** How many entries were checked (up to and including the first bad one). */
  entries: number;
  /** The first entry that does not fit, with why. */
  firstBadEntry?: { seq: number | null; id: string; reason: string };
}

export interface ChainEntry extends HashedContent {
  _id?: unknown;
  prevHash: string;
  hash: string;
}

/** Incremental checker: feed entries in seq order; the first failure sticks. */
export class ChainVerifier {
  private prev = GENESIS_HASH;
  private expectedSeq = 1;
  private n = 0;
  private bad?: VerifyResult['firstBadEntry'];

  /** Returns false once a bad entry was found (stop feeding). */
  add(e: ChainEntry): boolean {
    if (this.bad) return false;
    this.n++;
    const fail = (reason: string) => {
      this.bad = { seq: typeof e.seq === 'number' ? e.seq : null, id: String(e._id ?? ''), reason };
      return false;
    };
    if (e.seq !== this.expectedSeq)
      return fail(
        `expected entry ${this.expectedSeq} but found ${String(e.seq)} (an entry was inserted, removed or reordered)`,
      );
    if (e.prevHash !== this.prev)
      return fail('does not link to the entry before it (an entry was removed, inserted or changed)');
    const content: HashedContent = {
      seq: e.seq,
      at: e.at instanceof Date ? e.at : new Date(e.at as unknown as string),
      actor: { type: e.actor?.type, id: e.actor?.id ?? null, name: e.actor?.name ?? null },
      action: e.action,
      target: { type: e.target?.type ?? null, id: e.target?.id ?? null },
      details: e.details ?? {},
    };
    if (entryHash(this.prev, content) !== e.hash)
      return fail('its content does not match its hash (the entry was edited)');
    this.prev = e.hash;
    this.expectedSeq++;
    return true;
  }

  result(): VerifyResult {
    return this.bad ? { ok: false, entries: this.n, firstBadEntry: this.bad } : { ok: true, entries: this.n };
  }
}

/** Pure check over entries already sorted by seq. */
export function verifyEntries(entries: Iterable<ChainEntry>): VerifyResult {
  const v = new ChainVerifier();
  for (const e of entries) if (!v.add(e)) break;
  return v.result();
}

/** Walks the whole trail in the database, streaming in seq order. */
export async function verifyAuditTrail(store: AuditStore = mongoAuditStore): Promise<VerifyResult> {
  const v = new ChainVerifier();
  for await (const doc of store.all()) {
    if (!v.add(doc as unknown as ChainEntry)) break;
  }
  return v.result();
}
