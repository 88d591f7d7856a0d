// Command dispatch of the embedded engine: routes a decoded command to its handler, binds it to its
// transaction (lsid + txnNumber, startTransaction/autocommit:false; commit/abort as admin commands), makes the
// command's journal records durable (persistence.commit) BEFORE the reply is released, compacts between
// commands, and runs the TTL / idle-cursor / stale-transaction sweeps. Must never reply before its records are
// committed, and never import anything outside this package.
import type { Document } from 'bson';
import { adminCommands } from './commands/admin.js';
import { aggregateCommands } from './commands/aggregate.js';
import { crudCommands } from './commands/crud.js';
import { ddlCommands } from './commands/ddl.js';
import { updateCommands } from './commands/update.js';
import { searchCommands } from './commands/search.js';
import type { CommandContext, Handler, ServerInfo } from './context.js';
import { CursorManager } from './cursors.js';
import { CommandError, Codes, codeName, toCommandError } from './errors.js';
import type { JournalRecord, Persistence } from './persistence/types.js';
import { Store, Writer, type UndoEntry } from './store.js';
import { WriteHealth } from './health.js';
import { lsidKey, TxnManager, type Txn } from './txn.js';
import { RETRYABLE_COMMANDS, RetryTable, type RetryAttempt } from './retry.js';
import { normalise } from './normalise.js';
import { checkReadConcern } from './read-concern.js';
import { applyWriteConcern } from './write-concern.js';
import { pathValues } from './values.js';

const HANDLERS: Record<string, Handler> = {
  ...adminCommands,
  ...crudCommands,
  ...updateCommands,
  ...aggregateCommands,
  ...ddlCommands,
  ...searchCommands,
};

const UNGATED = new Set(['hello', 'isMaster', 'ismaster', 'ping', 'buildInfo', 'buildinfo']);

/** Commands MongoDB refuses inside a multi-document transaction. */
const NOT_IN_TRANSACTION = new Set(['count', 'listCollections', 'listIndexes', 'dbStats', 'collStats', 'explain']);

/** How long an autocommit write blocked by an open transaction waits before failing with WriteConflict. */
const WRITE_CONFLICT_WAIT_MS = 5_000;

function writeConflictReply(inTransaction: boolean): Document {
  const reply: Document = {
    ok: 0,
    errmsg:
      'WriteConflict error: this operation conflicted with another operation. Please retry your operation or multi-document transaction.',
    code: Codes.WriteConflict,
    codeName: 'WriteConflict',
  };
  if (inTransaction) reply.errorLabels = ['TransientTransactionError'];
  return reply;
}

export interface ConnectionInfo {
  id: number;
  remote: string;
}

export type Logger = (msg: string, err?: unknown) => void;

export class Engine {
  readonly store = new Store();
  readonly cursors = new CursorManager();
  readonly txns = new TxnManager();
  readonly retries = new RetryTable();
  readonly health: WriteHealth;
  private gate: Promise<void> | null = null;
  private sweeping = false;

  constructor(
    readonly server: ServerInfo,
    private readonly persistence: Persistence | null,
    private readonly log: Logger = () => {},
  ) {
    this.health = new WriteHealth(persistence, log);
    server.health = () => this.health.status();
  }

  /** Replays persisted records (startup). */
  load(records: JournalRecord[]): void {
    for (const r of records) {
      try {
        if (r.t === 'retry') this.retries.load(r);
        else this.store.replay(r);
      } catch (e) {
        this.log(`embedded db: could not replay a '${r.t}' record for ${'db' in r ? r.db : r.lsid}`, e);
      }
    }
  }

  execute(cmd: Document, db: string, conn: ConnectionInfo): Promise<Document> {
    const reply = this.dispatch(cmd, db, conn);
    // No extra await on the common path: only a command carrying a writeConcern is looked at again.
    if (cmd.writeConcern === undefined) return reply;
    return reply.then((r) => applyWriteConcern(Object.keys(cmd)[0] ?? '', cmd.writeConcern, r));
  }

  private async dispatch(cmd: Document, db: string, conn: ConnectionInfo): Promise<Document> {
    const name = Object.keys(cmd)[0] ?? '';
    // Commands wait while a compaction snapshots the state (handshakes/heartbeats need not).
    if (this.gate && !UNGATED.has(name)) await this.gate;
    try {
      normalise(cmd);
      if (name === 'commitTransaction' || name === 'abortTransaction') return await this.endTransaction(name, cmd);
      const handler = Object.prototype.hasOwnProperty.call(HANDLERS, name) ? HANDLERS[name] : undefined;
      if (!handler) {
        return {
          ok: 0,
          errmsg: `no such command: '${name}'`,
          code: Codes.CommandNotFound,
          codeName: 'CommandNotFound',
        };
      }
      this.health.refuseWhileFailing(name);
      const lsid = lsidKey(cmd.lsid);
      const txn =
        lsid && cmd.autocommit === false && cmd.txnNumber !== undefined
          ? this.txns.attach(lsid, String(cmd.txnNumber), cmd.startTransaction === true)
          : null;
      if (txn && NOT_IN_TRANSACTION.has(name)) {
        throw new CommandError(
          Codes.OperationNotSupportedInTransaction,
          `Cannot run '${name}' in a multi-document transaction.`,
        );
      }
      if (!txn && cmd.readConcern !== undefined) checkReadConcern(name, cmd.readConcern);
      const retryable = !txn && lsid !== null && cmd.txnNumber !== undefined && RETRYABLE_COMMANDS.has(name);
      let attempt: RetryAttempt | null = null;
      if (retryable) {
        // No await between the last lookup and begin(): a resent write either sees this attempt or runs alone.
        let prior = this.retries.lookup(lsid, cmd.txnNumber);
        while (prior instanceof Promise) {
          await prior;
          prior = this.retries.lookup(lsid, cmd.txnNumber);
        }
        if (prior) return prior;
        attempt = this.retries.begin(lsid, cmd.txnNumber);
      }
      try {
        return await this.run(handler, cmd, db, conn, lsid, txn, attempt);
      } finally {
        attempt?.settle();
      }
    } catch (e) {
      return toCommandError(e).toReply();
    } finally {
      this.maybeCompact();
    }
  }

  /** Runs one command (retrying while an open transaction blocks it) and commits its records before replying. */
  private async run(
    handler: Handler,
    cmd: Document,
    db: string,
    conn: ConnectionInfo,
    lsid: string | null,
    txn: Txn | null,
    attempt: RetryAttempt | null,
  ): Promise<Document> {
    let remembered = false;
    try {
      let writer: Writer;
      let reply: Document;
      const deadline = Date.now() + WRITE_CONFLICT_WAIT_MS;
      for (;;) {
        writer = new Writer(this.store, txn, txn ? txn.undo : []);
        const ctx: CommandContext = {
          store: this.store,
          cursors: this.cursors,
          txns: this.txns,
          server: this.server,
          db,
          writer,
          txn,
          lsid,
          connectionId: conn.id,
          remote: conn.remote,
        };
        try {
          reply = handler(cmd, ctx);
        } catch (e) {
          reply = toCommandError(e).toReply();
        }
        const blocker = writer.conflict as Txn | null;
        if (!blocker) break;
        if (txn) {
          // MongoDB aborts a transaction that hits a write conflict; the driver retries it (TransientTransactionError).
          this.txns.abortTxn(txn);
          reply = writeConflictReply(true);
          break;
        }
        const untouched = writer.records.length === 0 && writer.schemaRecords.length === 0;
        const wait = deadline - Date.now();
        if (!untouched || wait <= 0) {
          if (untouched) reply = writeConflictReply(false);
          break;
        }
        // An autocommit write blocked by an open transaction waits for it to finish, then runs again.
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([blocker.done, new Promise((r) => (timer = setTimeout(r, wait)))]);
        clearTimeout(timer);
      }
      if (txn && (reply.ok !== 1 || (Array.isArray(reply.writeErrors) && reply.writeErrors.length > 0))) {
        // Like MongoDB, a statement that fails inside a transaction aborts it (later statements: NoSuchTransaction).
        if (this.txns.find(txn.lsid, txn.txnNumber) === txn) this.txns.abortTxn(txn);
      }
      let durable = writer.schemaRecords;
      if (txn) txn.records.push(...writer.records);
      else if (writer.records.length) durable = durable.length ? [...durable, ...writer.records] : writer.records;
      const undo = txn ? [] : (writer.undo ?? []);
      if (attempt && reply.ok === 1) {
        // Remembered before the fsync (a retry racing it waits for the same commit), journaled with the write.
        const rec = attempt.remember(reply);
        remembered = true;
        if (durable.length) durable = [...durable, rec];
        try {
          if (durable.length) await this.commit(durable, undo);
        } catch (e) {
          remembered = false;
          throw e;
        }
        return reply;
      }
      if (durable.length) await this.commit(durable, undo);
      return reply;
    } finally {
      if (attempt && !remembered) attempt.forget();
    }
  }

  private async endTransaction(name: string, cmd: Document): Promise<Document> {
    const lsid = lsidKey(cmd.lsid);
    if (!lsid || cmd.txnNumber === undefined) {
      throw new CommandError(Codes.InvalidOptions, `${name} requires a session id and a transaction number`);
    }
    const txnNumber = String(cmd.txnNumber);
    if (name === 'abortTransaction') {
      this.txns.abort(lsid, txnNumber);
      return { ok: 1 };
    }
    const undo = this.txns.find(lsid, txnNumber)?.undo.slice() ?? [];
    const records = this.txns.commit(lsid, txnNumber);
    if (records.length) await this.commit(records, undo);
    return { ok: 1 };
  }

  /** Makes records durable; when that fails, the in-memory changes (undo) are rolled back with every other
   *  unacknowledged one, newest first, and writes are refused until the disk takes writes again. */
  private async commit(records: JournalRecord[], undo: UndoEntry[] = []): Promise<void> {
    if (!this.persistence) return;
    const pending = this.health.track(undo);
    try {
      await this.persistence.commit(records).then(
        () => this.health.settled(pending, true),
        (e: unknown) => {
          this.health.settled(pending, false, e);
          throw e;
        },
      );
    } catch (e) {
      this.log('embedded db: journal commit failed', e);
      throw new CommandError(
        Codes.OutOfDiskSpace,
        `write could not be made durable and was rolled back: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }

  private maybeCompact(): void {
    const p = this.persistence;
    if (!p || this.gate || !p.shouldCompact()) return;
    this.gate = p
      .compact(() => this.dumpAll())
      .catch((e) => this.log('embedded db: compaction failed', e))
      .finally(() => {
        this.gate = null;
      });
  }

  /** The full durable state: the store's, then the retryable-write replies. */
  private *dumpAll(): Generator<JournalRecord> {
    yield* this.store.dump();
    yield* this.retries.dump();
  }

  /** Waits for a running compaction (used by close()). */
  async idle(): Promise<void> {
    while (this.gate) await this.gate;
  }

  /** Deletes documents whose TTL index date has expired; deletions are journaled. */
  async sweepTtl(now = Date.now()): Promise<number> {
    if (this.sweeping) return 0;
    this.sweeping = true;
    try {
      if (this.gate) await this.gate;
      const writer = new Writer(this.store, null, []);
      for (const colls of this.store.dbs.values()) {
        for (const c of colls.values()) {
          for (const ix of c.indexes.values()) {
            if (ix.expireAfterSeconds === undefined) continue;
            const limit = now - ix.expireAfterSeconds * 1000;
            const expired: Document[] = [];
            for (const doc of c.docs.values()) {
              let min = Infinity;
              for (const v of pathValues(doc, ix.fields[0]))
                if (v instanceof Date && v.getTime() < min) min = v.getTime();
              if (min <= limit) expired.push(doc);
            }
            for (const doc of expired) {
              try {
                writer.remove(c, doc);
              } catch {
                // held by an open transaction: the next sweep gets it
              }
            }
          }
        }
      }
      if (writer.records.length) await this.commit(writer.records, writer.undo ?? []);
      return writer.records.length;
    } finally {
      this.sweeping = false;
    }
  }

  /** Periodic housekeeping: idle cursors and abandoned transactions. */
  sweepSessions(): void {
    this.cursors.sweep();
    this.txns.sweep();
    this.retries.sweep();
  }

  shutdown(): void {
    this.health.stop();
    this.txns.abortAll();
    this.cursors.clear();
  }
}

export { codeName };
