// Write health of the embedded engine: tracks the in-memory changes of every command whose journal commit is
// still pending; when a commit fails (disk full, I/O error) it rolls back every unacknowledged change, newest
// first, refuses writes (OutOfDiskSpace, 14031) and probes the disk every second (persistence.recover) until it
// takes writes again. Reported by serverStatus as `embedded.writable` / `writeError` / `writeErrorSince`.
// Must never acknowledge a write itself nor roll back a change whose commit succeeded.
import type { Document } from 'bson';
import { CommandError, Codes } from './errors.js';
import type { Persistence } from './persistence/types.js';
import { rollback, type UndoEntry } from './store.js';

const PROBE_MS = 1_000;

/** Commands refused while writes fail (they would change durable state). */
const WRITE_COMMANDS = new Set([
  'insert',
  'update',
  'delete',
  'findAndModify',
  'findandmodify',
  'create',
  'drop',
  'dropDatabase',
  'createIndexes',
  'dropIndexes',
  'deleteIndexes',
  'renameCollection',
  'collMod',
  'bulkWrite',
  'commitTransaction',
]);

export interface PendingWrite {
  undo: UndoEntry[];
  ok?: boolean;
}

export class WriteHealth {
  private readonly pending = new Set<PendingWrite>();
  private failing: { message: string; since: Date } | null = null;
  private timer: NodeJS.Timeout | undefined;
  private probing = false;

  constructor(
    private readonly persistence: Persistence | null,
    private readonly log: (msg: string, err?: unknown) => void,
  ) {}

  /** Serverstatus fields: the app reports not-ready while `writable` is false. */
  status(): Document {
    return this.failing
      ? { writable: false, writeError: this.failing.message, writeErrorSince: this.failing.since }
      : { writable: true };
  }

  get writable(): boolean {
    return this.failing === null;
  }

  refuseWhileFailing(command: string): void {
    if (this.failing && WRITE_COMMANDS.has(command)) {
      throw new CommandError(
        Codes.OutOfDiskSpace,
        `writes are refused until the disk takes writes again (since ${this.failing.since.toISOString()}): ${this.failing.message}`,
      );
    }
  }

  track(undo: UndoEntry[]): PendingWrite {
    const p: PendingWrite = { undo };
    this.pending.add(p);
    return p;
  }

  /**
   * A commit settled. Successful commits settle (in queue order) before any failure is reported, so on a
   * failure every change still pending is unacknowledged and doomed: all of them are rolled back, newest first.
   */
  settled(p: PendingWrite, ok: boolean, err?: unknown): void {
    if (ok) {
      this.pending.delete(p);
      return;
    }
    const doomed = [...this.pending].reverse();
    this.pending.clear();
    for (const d of doomed) rollback(d.undo);
    if (!this.failing) {
      this.failing = { message: err instanceof Error ? err.message : String(err), since: new Date() };
      this.log('embedded db: writes fail; refusing writes until a probe write succeeds', err);
      this.timer = setInterval(() => void this.probe(), PROBE_MS);
      this.timer.unref();
    }
  }

  /** One recovery attempt (also called by the timer). Resolves true once writes are accepted again. */
  async probe(): Promise<boolean> {
    if (!this.failing) return true;
    if (this.probing || !this.persistence?.recover) return false;
    this.probing = true;
    try {
      await this.persistence.recover();
      this.failing = null;
      this.stop();
      this.log('embedded db: a probe write succeeded; accepting writes again');
      return true;
    } catch {
      return false;
    } finally {
      this.probing = false;
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
