// Retryable writes of the embedded engine: the reply of the last write command of each session (lsid +
// txnNumber, outside transactions) is remembered, so the same write resent by the driver after a dropped
// connection is answered from memory instead of being applied twice — also while the first attempt is still
// running (it is registered before it executes; the retry waits for its outcome). Entries are journaled with the
// write they answer (a `retry` record in the same batch), so the deduplication survives a restart, and are kept
// in snapshots. Memory is bounded: one entry per session, at most MAX_SESSIONS sessions and MAX_BYTES of replies
// (oldest forgotten first). Must never execute a command or do I/O itself.
import { calculateObjectSize, type Document } from 'bson';
import { CommandError, Codes } from './errors.js';
import type { JournalRecord } from './persistence/types.js';

/** Write commands the retryable-writes contract covers. */
export const RETRYABLE_COMMANDS = new Set(['insert', 'update', 'delete', 'findAndModify', 'findandmodify']);
/** Sessions remembered at most (the oldest are forgotten first); MongoDB keeps them for the session lifetime. */
const MAX_SESSIONS = 100_000;
/** Reply bytes remembered at most (findAndModify replies carry a whole document). */
const MAX_BYTES = 64 * 1024 * 1024;
/** A session unused this long is forgotten (MongoDB's logicalSessionTimeoutMinutes is 30). */
const SESSION_LIFETIME_MS = 30 * 60_000;

interface Entry {
  txnNumber: bigint;
  /** Absent while the attempt runs. */
  reply?: Document;
  bytes: number;
  at: number;
  /** Resolves once the attempt has settled and (when it succeeded) its records are durable. */
  done: Promise<unknown>;
  settled: boolean;
}

export type RetryRecord = Extract<JournalRecord, { t: 'retry' }>;

/** One running attempt of a retryable write: `remember` its reply, or `forget` it; then `settle`. */
export interface RetryAttempt {
  remember(reply: Document): RetryRecord;
  forget(): void;
  settle(): void;
}

const toBig = (txnNumber: unknown): bigint => BigInt(String(txnNumber));

/** A running attempt: its entry is registered at once (a plain class: no closures on the hot path). */
class Attempt implements RetryAttempt {
  readonly entry: Entry;
  private resolve: (v?: unknown) => void = () => {};

  constructor(
    private readonly table: RetryTable,
    private readonly lsid: string,
    private readonly txnNumber: unknown,
  ) {
    this.entry = {
      txnNumber: toBig(txnNumber),
      bytes: 0,
      at: Date.now(),
      done: new Promise((r) => (this.resolve = r)),
      settled: false,
    };
  }

  remember(reply: Document): RetryRecord {
    this.table.store(this.lsid, this.entry, reply);
    return { t: 'retry', lsid: this.lsid, txnNumber: String(this.txnNumber), reply, at: new Date(this.entry.at) };
  }

  forget(): void {
    this.table.drop(this.lsid, this.entry);
  }

  settle(): void {
    this.entry.settled = true;
    this.resolve();
  }
}

/** Reply size for the memory budget: only findAndModify replies can be large, the others are counted flat. */
function replyBytes(reply: Document): number {
  if (reply.value !== undefined && reply.value !== null) return 256 + calculateObjectSize(reply);
  const errors = Array.isArray(reply.writeErrors) ? reply.writeErrors.length : 0;
  const upserted = Array.isArray(reply.upserted) ? reply.upserted.length : 0;
  return 256 + 128 * (errors + upserted);
}

export class RetryTable {
  private readonly bySession = new Map<string, Entry>();
  private bytes = 0;

  /**
   * The remembered reply for this write (null when it must run). A Promise only when an earlier attempt of the
   * same write is still running or not yet durable: wait for it, then ask again.
   */
  lookup(lsid: string, txnNumber: unknown): Document | null | Promise<unknown> {
    const e = this.bySession.get(lsid);
    if (!e) return null;
    const n = toBig(txnNumber);
    if (n < e.txnNumber) {
      throw new CommandError(
        Codes.TransactionTooOld,
        `Retryable write with txnNumber ${n} is prohibited on session ${lsid} because a newer retryable write with txnNumber ${e.txnNumber} has already started on this session.`,
      );
    }
    if (n > e.txnNumber) return null;
    if (!e.settled) return e.done;
    return e.reply ? { ...e.reply } : null;
  }

  /** Registers a running attempt (call right after a `lookup` answered null, with no await in between). */
  begin(lsid: string, txnNumber: unknown): RetryAttempt {
    const a = new Attempt(this, lsid, txnNumber);
    this.set(lsid, a.entry);
    return a;
  }

  /** Stores the reply of a running attempt (still this session's entry); see Attempt. */
  store(lsid: string, e: Entry, reply: Document): void {
    if (this.bySession.get(lsid) !== e) return;
    e.reply = reply;
    e.bytes = replyBytes(reply);
    this.bytes += e.bytes;
    this.trim();
  }

  /** Drops a running attempt's entry (still this session's entry); see Attempt. */
  drop(lsid: string, e: Entry): void {
    if (this.bySession.get(lsid) === e) this.delete(lsid);
  }

  /** Replays a journaled entry (startup). */
  load(r: RetryRecord): void {
    const cur = this.bySession.get(r.lsid);
    const n = BigInt(r.txnNumber);
    if (cur && cur.txnNumber > n) return;
    const bytes = replyBytes(r.reply);
    const e: Entry = {
      txnNumber: n,
      reply: r.reply,
      bytes,
      at: r.at.getTime(),
      done: Promise.resolve(),
      settled: true,
    };
    this.set(r.lsid, e);
    this.bytes += bytes;
    this.trim();
  }

  /** The live entries as records (compaction snapshots). */
  *dump(now = Date.now()): Generator<RetryRecord> {
    for (const [lsid, e] of this.bySession) {
      if (!e.reply || now - e.at > SESSION_LIFETIME_MS) continue;
      yield { t: 'retry', lsid, txnNumber: String(e.txnNumber), reply: e.reply, at: new Date(e.at) };
    }
  }

  /** Forgets sessions unused for longer than the session lifetime. */
  sweep(now = Date.now()): void {
    for (const [lsid, e] of this.bySession) if (e.reply && now - e.at > SESSION_LIFETIME_MS) this.delete(lsid);
  }

  /** Sessions and reply bytes held (for tests and serverStatus). */
  get size(): { sessions: number; bytes: number } {
    return { sessions: this.bySession.size, bytes: this.bytes };
  }

  private set(lsid: string, e: Entry): void {
    this.delete(lsid);
    this.bySession.set(lsid, e);
    this.trim();
  }

  private delete(lsid: string): void {
    const e = this.bySession.get(lsid);
    if (!e) return;
    this.bytes -= e.bytes;
    this.bySession.delete(lsid);
  }

  private trim(): void {
    while (this.bySession.size > MAX_SESSIONS || (this.bytes > MAX_BYTES && this.bySession.size > 1)) {
      const oldest = this.bySession.keys().next().value;
      if (oldest === undefined) return;
      this.delete(oldest);
    }
  }
}
