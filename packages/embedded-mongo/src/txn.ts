// Multi-document transactions of the embedded engine, keyed by session (lsid) + txnNumber: each keeps an undo
// log (rolled back on abort/expiry) and the journal records to commit as one batch at commitTransaction.
// There is NO isolation between concurrent transactions (documented). Must never do I/O itself.
import type { Document } from 'bson';
import { CommandError, Codes } from './errors.js';
import type { JournalRecord } from './persistence/types.js';
import { release, rollback, type UndoEntry } from './store.js';
import { enc } from './values.js';

export const TXN_LIFETIME_MS = 60_000;

export interface Txn {
  lsid: string;
  txnNumber: string;
  undo: UndoEntry[];
  records: JournalRecord[];
  lastUsed: number;
  /** Resolves when the transaction commits or aborts (writers blocked by it wait on this). */
  done: Promise<void>;
  finish: () => void;
}

export function lsidKey(lsid: unknown): string | null {
  if (!lsid || typeof lsid !== 'object') return null;
  return enc((lsid as Document).id ?? lsid);
}

const noSuchTxn = (txnNumber: string): CommandError =>
  new CommandError(
    Codes.NoSuchTransaction,
    `Transaction with txnNumber ${txnNumber} has been aborted or does not exist.`,
    {
      errorLabels: ['TransientTransactionError'],
    },
  );

export class TxnManager {
  private readonly active = new Map<string, Txn>();
  /** Outcome of recently finished transactions (lsid:txnNumber), so retried commits/aborts answer consistently. */
  private readonly finished = new Map<string, 'committed' | 'aborted'>();

  /** Resolves the transaction a command belongs to (starting it when startTransaction is set). */
  attach(lsid: string, txnNumber: string, start: boolean): Txn {
    const cur = this.active.get(lsid);
    if (start) {
      if (cur) {
        if (cur.txnNumber === txnNumber) {
          throw new CommandError(
            Codes.ConflictingOperationInProgress,
            `Transaction ${txnNumber} has already been started`,
          );
        }
        this.abortTxn(cur);
      }
      let finish: () => void = () => {};
      const done = new Promise<void>((resolve) => (finish = resolve));
      const t: Txn = { lsid, txnNumber, undo: [], records: [], lastUsed: Date.now(), done, finish };
      this.active.set(lsid, t);
      return t;
    }
    if (!cur || cur.txnNumber !== txnNumber) throw noSuchTxn(txnNumber);
    cur.lastUsed = Date.now();
    return cur;
  }

  /** The open transaction of this session with this number, if any. */
  find(lsid: string, txnNumber: string): Txn | undefined {
    const cur = this.active.get(lsid);
    return cur && cur.txnNumber === txnNumber ? cur : undefined;
  }

  /** Ends the transaction successfully; returns the records to make durable (empty for a retried commit). */
  commit(lsid: string, txnNumber: string): JournalRecord[] {
    const cur = this.active.get(lsid);
    if (cur && cur.txnNumber === txnNumber) {
      this.active.delete(lsid);
      release(cur.undo, cur);
      this.remember(lsid, txnNumber, 'committed');
      cur.finish();
      return cur.records;
    }
    const outcome = this.finished.get(`${lsid}:${txnNumber}`);
    if (outcome === 'committed') return [];
    throw noSuchTxn(txnNumber);
  }

  abort(lsid: string, txnNumber: string): void {
    const cur = this.active.get(lsid);
    if (cur && cur.txnNumber === txnNumber) {
      this.abortTxn(cur);
      return;
    }
    if (this.finished.get(`${lsid}:${txnNumber}`) === 'committed') {
      throw new CommandError(Codes.TransactionCommitted, 'Cannot abort a transaction that has already been committed');
    }
    throw noSuchTxn(txnNumber);
  }

  /** Aborts whatever transaction the session has open (endSessions, implicit abort by a new txnNumber). */
  endSession(lsid: string): void {
    const cur = this.active.get(lsid);
    if (cur) this.abortTxn(cur);
  }

  /** Aborts transactions idle for longer than the lifetime limit. */
  sweep(now = Date.now()): void {
    for (const t of [...this.active.values()]) if (now - t.lastUsed > TXN_LIFETIME_MS) this.abortTxn(t);
  }

  abortAll(): void {
    for (const t of [...this.active.values()]) this.abortTxn(t);
  }

  /** Rolls the transaction back and forgets it (also used when it hits a WriteConflict). */
  abortTxn(t: Txn): void {
    if (this.active.get(t.lsid) === t) this.active.delete(t.lsid);
    rollback(t.undo);
    t.undo.length = 0;
    t.records.length = 0;
    this.remember(t.lsid, t.txnNumber, 'aborted');
    t.finish();
  }

  private remember(lsid: string, txnNumber: string, outcome: 'committed' | 'aborted'): void {
    this.finished.set(`${lsid}:${txnNumber}`, outcome);
    if (this.finished.size > 10_000) {
      const oldest = this.finished.keys().next().value;
      if (oldest !== undefined) this.finished.delete(oldest);
    }
  }
}
