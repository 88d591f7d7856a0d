// Retryable writes of the embedded engine: the reply of the last write command of each session (lsid +
// txnNumber, outside transactions) is remembered, so the same write resent by the driver after a dropped
// connection is answered from memory instead of being applied twice. Entries are journaled with the write they
// answer (a `retry` record in the same batch), so the deduplication survives a restart, and are kept in
// snapshots. Must never execute a command or do I/O itself.
import type { Document } from 'bson';
import { CommandError, Codes } from './errors.js';
import type { JournalRecord } from './persistence/types.js';

/** Write commands the retryable-writes contract covers. */
export const RETRYABLE_COMMANDS = new Set(['insert', 'update', 'delete', 'findAndModify', 'findandmodify']);
/** Sessions remembered at most (the oldest are forgotten first); MongoDB keeps them for the session lifetime. */
const MAX_SESSIONS = 100_000;
/** A session unused this long is forgotten (MongoDB's logicalSessionTimeoutMinutes is 30). */
const SESSION_LIFETIME_MS = 30 * 60_000;

interface Entry {
  txnNumber: bigint;
  reply: Document;
  at: number;
  /** Resolves once the write's records are durable (a retry arriving before that waits for it). */
  durable: Promise<unknown>;
}

export type RetryRecord = Extract<JournalRecord, { t: 'retry' }>;

export class RetryTable {
  private readonly bySession = new Map<string, Entry>();

  /** The remembered reply for this write (after its records are durable), or null when it must run. */
  async lookup(lsid: string, txnNumber: unknown): Promise<Document | null> {
    const e = this.bySession.get(lsid);
    if (!e) return null;
    const n = BigInt(String(txnNumber));
    if (n < e.txnNumber) {
      throw new CommandError(
        Codes.TransactionTooOld,
        `Retryable write with txnNumber ${n} is prohibited on session ${lsid} because a newer retryable write with txnNumber ${e.txnNumber} has already started on this session.`,
      );
    }
    if (n > e.txnNumber) return null;
    await e.durable.catch(() => {});
    return { ...e.reply };
  }

  /** Remembers a write's reply; returns the record to journal with the write. */
  remember(lsid: string, txnNumber: unknown, reply: Document, durable: Promise<unknown>): RetryRecord {
    const at = Date.now();
    this.set(lsid, { txnNumber: BigInt(String(txnNumber)), reply, at, durable });
    return { t: 'retry', lsid, txnNumber: String(txnNumber), reply, at: new Date(at) };
  }

  /** Drops the entry of a write that could not be made durable (a retry must run it again). */
  forget(lsid: string, txnNumber: unknown): void {
    if (this.bySession.get(lsid)?.txnNumber === BigInt(String(txnNumber))) this.bySession.delete(lsid);
  }

  /** Replays a journaled entry (startup). */
  load(r: RetryRecord): void {
    const cur = this.bySession.get(r.lsid);
    const n = BigInt(r.txnNumber);
    if (cur && cur.txnNumber > n) return;
    this.set(r.lsid, { txnNumber: n, reply: r.reply, at: r.at.getTime(), durable: Promise.resolve() });
  }

  /** The live entries as records (compaction snapshots). */
  *dump(now = Date.now()): Generator<RetryRecord> {
    for (const [lsid, e] of this.bySession) {
      if (now - e.at > SESSION_LIFETIME_MS) continue;
      yield { t: 'retry', lsid, txnNumber: String(e.txnNumber), reply: e.reply, at: new Date(e.at) };
    }
  }

  /** Forgets sessions unused for longer than the session lifetime. */
  sweep(now = Date.now()): void {
    for (const [lsid, e] of this.bySession) if (now - e.at > SESSION_LIFETIME_MS) this.bySession.delete(lsid);
  }

  private set(lsid: string, e: Entry): void {
    this.bySession.delete(lsid);
    this.bySession.set(lsid, e);
    if (this.bySession.size > MAX_SESSIONS) {
      const oldest = this.bySession.keys().next().value;
      if (oldest !== undefined) this.bySession.delete(oldest);
    }
  }
}
