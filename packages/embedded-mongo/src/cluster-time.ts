// The logical clock of the embedded engine: a cluster time (BSON Timestamp: seconds + increment) that advances
// with every committed write, stamped on replies as `operationTime` and `$clusterTime` (unsigned: there is no
// authentication) so drivers gossip it and causally consistent sessions work (`afterClusterTime` is always
// already reached on this single node). Also the rules of snapshot reads outside transactions: allowed on
// find / aggregate / distinct, answered with `atClusterTime`; an `atClusterTime` older than the last write to a
// collection the command reads fails with SnapshotTooOld (the engine keeps no old versions).
// Must never touch the store.
import { Binary, Long, Timestamp, type Document } from 'bson';
import { CommandError, Codes } from './errors.js';
import type { JournalRecord } from './persistence/types.js';

const SIGNATURE = { hash: new Binary(Buffer.alloc(20), 0), keyId: Long.ZERO };
const SNAPSHOT_COMMANDS = new Set(['find', 'aggregate', 'distinct']);

export class ClusterClock {
  private secs = Math.floor(Date.now() / 1000);
  private inc = 1;
  /** Cluster time of the last write per namespace ("db.coll"; "db" for dropDatabase). */
  private readonly lastWrite = new Map<string, Timestamp>();

  now(): Timestamp {
    return new Timestamp({ t: this.secs, i: this.inc });
  }

  /** Advances the clock for a batch of committed records and remembers which collections it wrote. */
  tick(records: JournalRecord[]): void {
    const s = Math.floor(Date.now() / 1000);
    if (s > this.secs) {
      this.secs = s;
      this.inc = 1;
    } else this.inc++;
    const ts = this.now();
    for (const r of records) {
      if (r.t === 'retry') continue; // a retryable write's remembered reply, not a write of its own
      this.lastWrite.set('coll' in r ? `${r.db}.${r.coll}` : r.db, ts);
    }
    if (this.lastWrite.size > 100_000) this.lastWrite.clear(); // bounded; forgetting only makes reads stricter
  }

  /** Adds operationTime / $clusterTime to a reply. */
  stamp(reply: Document): void {
    const ts = this.now();
    reply.operationTime = ts;
    reply.$clusterTime = { clusterTime: ts, signature: SIGNATURE };
  }

  /**
   * Checks a non-transactional command's `readConcern: { level: 'snapshot' }`; returns the cluster time the
   * reply must report as `atClusterTime`, or null when the command is not a snapshot read.
   */
  snapshotRead(cmd: Document, name: string, db: string, inTransaction: boolean): Timestamp | null {
    const rc = cmd.readConcern as Document | undefined;
    if (inTransaction || !rc || rc.level !== 'snapshot') return null;
    if (!SNAPSHOT_COMMANDS.has(name)) {
      throw new CommandError(
        Codes.InvalidOptions,
        `Command ${name} does not support { readConcern: { level: "snapshot" } } outside a transaction`,
      );
    }
    const now = this.now();
    const at = rc.atClusterTime;
    if (at === undefined) return now;
    if (!(at instanceof Timestamp)) throw new CommandError(Codes.TypeMismatch, "'atClusterTime' must be a timestamp");
    const coll = typeof cmd[name] === 'string' ? `${db}.${cmd[name] as string}` : null;
    for (const ns of coll ? [coll, db] : [db]) {
      const w = this.lastWrite.get(ns);
      if (w && w.greaterThan(at)) {
        throw new CommandError(
          Codes.SnapshotTooOld,
          `Read timestamp ${describe(at)} is older than the last write to ${ns} (${describe(w)}): the embedded database engine keeps no older versions`,
        );
      }
    }
    return at.greaterThan(now) ? now : at;
  }
}

function describe(ts: Timestamp): string {
  return `Timestamp(${ts.t}, ${ts.i})`;
}

/** Puts `atClusterTime` where drivers look for it: in the cursor (find/aggregate) or at the top (distinct). */
export function addAtClusterTime(reply: Document, at: Timestamp): void {
  if (reply.ok !== 1) return;
  if (reply.cursor && typeof reply.cursor === 'object') (reply.cursor as Document).atClusterTime = at;
  else reply.atClusterTime = at;
}
