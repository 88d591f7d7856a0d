// The contract between the embedded engine's in-memory store and its durability layer.
// The store turns every acknowledged write into JournalRecords; the durability layer makes a batch durable
// (append + fsync, group commit) BEFORE the store replies to the client, and on start hands back every record
// (snapshot first, then journal) for the store to replay in order. Must never import anything outside this package.
import type { Document } from 'bson';

export interface IndexSpec {
  name: string;
  key: Record<string, 1 | -1 | string>;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Document;
  expireAfterSeconds?: number;
  [option: string]: unknown;
}

/** One idempotent state change. `put` inserts or fully replaces the document with the same _id. */
export type JournalRecord =
  | { t: 'put'; db: string; coll: string; doc: Document }
  | { t: 'del'; db: string; coll: string; id: unknown }
  | { t: 'createColl'; db: string; coll: string; options?: Document }
  | { t: 'dropColl'; db: string; coll: string }
  | { t: 'dropDb'; db: string }
  | { t: 'createIndex'; db: string; coll: string; spec: IndexSpec }
  | { t: 'dropIndex'; db: string; coll: string; name: string }
  /** The reply of a retryable write (session lsid + txnNumber), journaled with the write it answers. */
  | { t: 'retry'; lsid: string; txnNumber: string; reply: Document; at: Date };

export interface Persistence {
  /** Opens the data folder (taking its lock) and returns every record to replay, in order. */
  open(): Promise<JournalRecord[]>;
  /** Durably appends one command's records; resolves only after fsync (concurrent calls share one fsync). */
  commit(records: JournalRecord[]): Promise<void>;
  /**
   * Rewrites the folder as a snapshot of the given full state (temp file + fsync + rename) and truncates the
   * journal. Called by the store when `shouldCompact()` says so, between commands.
   */
  compact(state: () => Iterable<JournalRecord>): Promise<void>;
  shouldCompact(): boolean;
  /**
   * After a failed write or fsync (every commit rejected since): probes the disk with a small synced write,
   * cuts whatever the failed batch left past the last synced frame, and accepts commits again. Rejects while the
   * disk still fails. Optional: without it, a failed persistence stays failed until restart.
   */
  recover?(): Promise<void>;
  /** Flushes and releases the lock. */
  close(): Promise<void>;
}
