// The in-memory state of the embedded engine (databases → collections) plus the Writer through which every
// command changes it: the Writer applies a change, records the JournalRecord to make durable, and (inside a
// transaction) the undo entry to roll it back. Replay and full-state dumps for the persistence layer live here.
// Must never await, do I/O or reply to clients: callers decide when records are committed.
import { calculateObjectSize, type Document } from 'bson';
import { Collection } from './collection.js';
import { CommandError, Codes } from './errors.js';
import type { JournalRecord } from './persistence/types.js';
import { normalise, wrapTyped } from './normalise.js';
import { enc } from './values.js';

/** MongoDB's maximum BSON document size (16 MiB): no stored document may be larger. */
export const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;

/** The journal form of a document about to be stored; throws BSONObjectTooLarge (10334) past 16 MiB. */
function storable(doc: Document, updating: boolean): Document {
  const wrapped = wrapTyped(doc);
  const size = calculateObjectSize(wrapped);
  if (size > MAX_BSON_OBJECT_SIZE) {
    throw new CommandError(
      Codes.BSONObjectTooLarge,
      updating
        ? `Resulting document after update is larger than ${MAX_BSON_OBJECT_SIZE}`
        : `object to insert too large. size in bytes: ${size}, max size: ${MAX_BSON_OBJECT_SIZE}`,
    );
  }
  return wrapped;
}

export interface UndoEntry {
  coll: Collection;
  id: string;
  before: Document | undefined;
}

export interface EngineStats {
  docsExamined: number;
  keysExamined: number;
  indexLookups: number;
  collectionScans: number;
}

export class Store {
  readonly dbs = new Map<string, Map<string, Collection>>();
  readonly stats: EngineStats = { docsExamined: 0, keysExamined: 0, indexLookups: 0, collectionScans: 0 };

  get(db: string, name: string): Collection | undefined {
    return this.dbs.get(db)?.get(name);
  }

  collections(db: string): Collection[] {
    return [...(this.dbs.get(db)?.values() ?? [])];
  }

  /** Creates the collection if needed (no journaling: use Writer.ensure for that). */
  createRaw(db: string, name: string, options: Document = {}): Collection {
    let colls = this.dbs.get(db);
    if (!colls) {
      colls = new Map();
      this.dbs.set(db, colls);
    }
    let c = colls.get(name);
    if (!c) {
      c = new Collection(db, name, options);
      colls.set(name, c);
    }
    return c;
  }

  dropRaw(db: string, name: string): boolean {
    const colls = this.dbs.get(db);
    if (!colls?.delete(name)) return false;
    if (colls.size === 0) this.dbs.delete(db);
    return true;
  }

  /** Applies one journal record (startup replay). Problems are reported, not thrown, so one bad record can't block start. */
  replay(r: JournalRecord): void {
    switch (r.t) {
      case 'put':
        normalise(r.doc);
        this.createRaw(r.db, r.coll).put(r.doc);
        break;
      case 'del': {
        const c = this.get(r.db, r.coll);
        const cur = c?.getById(r.id);
        if (c && cur) c.remove(cur);
        break;
      }
      case 'createColl':
        this.createRaw(r.db, r.coll, r.options ?? {});
        break;
      case 'dropColl':
        this.dropRaw(r.db, r.coll);
        break;
      case 'dropDb':
        this.dbs.delete(r.db);
        break;
      case 'createIndex':
        this.createRaw(r.db, r.coll).createIndex(r.spec);
        break;
      case 'dropIndex': {
        const c = this.get(r.db, r.coll);
        if (c?.indexes.has(r.name)) c.dropIndex(r.name);
        break;
      }
      case 'retry':
        break; // the engine's retry table replays these
    }
  }

  /**
   * Full committed state as records (collections, then their indexes, then documents). Documents held by an
   * open transaction appear as they were before it: its changes reach the journal only at commitTransaction.
   */
  *dump(): Generator<JournalRecord> {
    for (const [db, colls] of this.dbs) {
      for (const [name, c] of colls) {
        yield { t: 'createColl', db, coll: name, options: c.options };
        for (const ix of c.indexes.values()) yield { t: 'createIndex', db, coll: name, spec: ix.spec };
        for (const [id, doc] of c.docs) {
          const held = c.dirty.size ? c.dirty.get(id) : undefined;
          if (!held) yield { t: 'put', db, coll: name, doc: wrapTyped(doc) };
          else if (held.before) yield { t: 'put', db, coll: name, doc: wrapTyped(held.before) };
        }
        for (const [id, held] of c.dirty) {
          if (held.before && !c.docs.has(id)) yield { t: 'put', db, coll: name, doc: wrapTyped(held.before) };
        }
      }
    }
  }
}

/** Applies changes for one command, collecting journal records and (in a transaction) undo entries. */
export class Writer {
  readonly records: JournalRecord[] = [];
  /** Schema records (collection/index creation) that must be committed even inside a transaction. */
  readonly schemaRecords: JournalRecord[] = [];
  /** The open transaction whose uncommitted change this command ran into, if any. */
  conflict: object | null = null;
  /**
   * @param owner the transaction this command runs in (null = autocommit)
   * @param undo  that transaction's undo log
   */
  constructor(
    readonly store: Store,
    readonly owner: object | null = null,
    readonly undo: UndoEntry[] | null = null,
  ) {}

  /** Returns the collection, creating it implicitly (journaled) when missing. */
  ensure(db: string, name: string, options: Document = {}): Collection {
    const existing = this.store.get(db, name);
    if (existing) return existing;
    validateCollectionName(db, name);
    const c = this.store.createRaw(db, name, options);
    this.schemaRecords.push({ t: 'createColl', db, coll: name, options });
    return c;
  }

  /** Throws WriteConflict when another open transaction holds the document; marks it for ours. */
  private claim(c: Collection, id: string): boolean {
    const d = c.dirty.get(id);
    if (d && d.owner !== this.owner) {
      this.conflict = d.owner;
      throw new CommandError(
        Codes.WriteConflict,
        'WriteConflict error: this operation conflicted with another operation. Please retry your operation or multi-document transaction.',
      );
    }
    return !d && this.owner !== null;
  }

  insert(c: Collection, doc: Document): void {
    const id = enc(doc._id);
    const record = storable(doc, false);
    const mark = this.claim(c, id);
    c.insert(doc);
    this.records.push({ t: 'put', db: c.db, coll: c.name, doc: record });
    this.track(c, id, undefined, mark);
  }

  replace(c: Collection, oldDoc: Document, newDoc: Document): void {
    const id = enc(oldDoc._id);
    const record = storable(newDoc, true);
    const mark = this.claim(c, id);
    c.replace(oldDoc, newDoc);
    this.records.push({ t: 'put', db: c.db, coll: c.name, doc: record });
    this.track(c, id, oldDoc, mark);
  }

  remove(c: Collection, doc: Document): void {
    const id = enc(doc._id);
    const mark = this.claim(c, id);
    if (!c.remove(doc)) return;
    this.records.push({ t: 'del', db: c.db, coll: c.name, id: doc._id });
    this.track(c, id, doc, mark);
  }

  private track(c: Collection, id: string, before: Document | undefined, mark: boolean): void {
    if (!this.undo) return;
    this.undo.push({ coll: c, id, before });
    if (mark && this.owner) c.dirty.set(id, { owner: this.owner, before });
  }

  schema(r: JournalRecord): void {
    this.schemaRecords.push(r);
  }
}

/** Forgets the dirty marks of a finished transaction (owner null = whatever owner). */
export function release(undo: UndoEntry[], owner: object | null): void {
  for (const { coll, id } of undo) {
    const d = coll.dirty.get(id);
    if (d && (owner === null || d.owner === owner)) coll.dirty.delete(id);
  }
}

/** Rolls back a transaction's changes, newest first. Returns the number of entries that could not be restored. */
export function rollback(undo: UndoEntry[]): number {
  release(undo, null);
  let failed = 0;
  for (let i = undo.length - 1; i >= 0; i--) {
    const { coll, id, before } = undo[i];
    try {
      const cur = coll.docs.get(id);
      if (before === undefined) {
        if (cur) coll.remove(cur);
      } else if (cur) coll.replace(cur, before);
      else coll.insert(before);
    } catch {
      failed++;
    }
  }
  return failed;
}

export function validateCollectionName(db: string, name: string): void {
  if (!db || /[/\\. "$]/.test(db)) throw new CommandError(Codes.InvalidNamespace, `Invalid database name: '${db}'`);
  if (!name || name.includes('$') || name.includes('\0') || name.startsWith('system.') || name.startsWith('.')) {
    throw new CommandError(Codes.InvalidNamespace, `Invalid collection name: '${name}'`);
  }
}
