// One collection of the embedded engine: documents by canonical _id key (insertion order = natural order) and
// their secondary indexes (hash maps, plus the ordered side of indexes a sorted read has used), kept consistent
// on every insert/replace/remove (unique checks happen before any change, so a failed write leaves nothing
// behind). Stored documents are never mutated in place (copy-on-write), so cursors and journal records can hold
// references. Must never journal or talk to the network itself.
import { randomUUID } from 'node:crypto';
import { UUID, type Document } from 'bson';
import { CommandError, Codes } from './errors.js';
import { Index, normaliseSpec, sameKey, sameOptions } from './indexes.js';
import { OrderedIndex } from './ordered-index.js';
import type { IndexSpec } from './persistence/types.js';
import { enc, formatValue } from './values.js';

export const ID_INDEX: IndexSpec = { name: '_id_', key: { _id: 1 } };

export class Collection {
  readonly db: string;
  readonly name: string;
  readonly options: Document;
  readonly uuid = new UUID(randomUUID());
  readonly docs = new Map<string, Document>();
  readonly indexes = new Map<string, Index>();
  /**
   * Documents changed by a still-open transaction: id → owner (the Txn) and the committed state before it
   * (undefined = the transaction inserted it). Other readers see `before`; other writers get a WriteConflict.
   */
  readonly dirty = new Map<string, { owner: object; before: Document | undefined }>();
  /** Insertion sequence per document id (natural order for index results). */
  readonly seq = new Map<string, number>();
  private nextSeq = 0;

  constructor(db: string, name: string, options: Document = {}) {
    this.db = db;
    this.name = name;
    this.options = options;
  }

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  idDuplicate(doc: Document): CommandError {
    return new CommandError(
      Codes.DuplicateKey,
      `E11000 duplicate key error collection: ${this.ns} index: _id_ dup key: { _id: ${formatValue(doc._id)} }`,
      { keyPattern: { _id: 1 }, keyValue: { _id: doc._id } },
    );
  }

  /** Inserts a new document (must already carry _id). Throws E11000 without side effects. */
  insert(doc: Document): void {
    const id = enc(doc._id);
    if (this.docs.has(id)) throw this.idDuplicate(doc);
    const keys: (string[][] | null)[] = [];
    for (const ix of this.indexes.values()) {
      const k = ix.keysOf(doc);
      ix.checkUnique(k, id, doc, this.ns);
      keys.push(k);
    }
    const seq = this.nextSeq++;
    let i = 0;
    for (const ix of this.indexes.values()) {
      ix.add(keys[i++], id);
      ix.ordered?.add(doc, id, seq);
    }
    this.docs.set(id, doc);
    this.seq.set(id, seq);
  }

  /** Replaces `oldDoc` by `newDoc` (same _id). Throws E11000 without side effects. */
  replace(oldDoc: Document, newDoc: Document): void {
    const id = enc(oldDoc._id);
    if (enc(newDoc._id) !== id)
      throw new CommandError(Codes.ImmutableField, "the (immutable) field '_id' was found to have been altered");
    const changes: [Index, string[][] | null, string[][] | null][] = [];
    for (const ix of this.indexes.values()) {
      const before = ix.keysOf(oldDoc);
      const after = ix.keysOf(newDoc);
      if (sameKeys(before, after)) continue;
      ix.checkUnique(after, id, newDoc, this.ns);
      changes.push([ix, before, after]);
    }
    for (const [ix, before, after] of changes) {
      ix.remove(before, id);
      ix.add(after, id);
    }
    const stored = this.docs.get(id) ?? oldDoc;
    const seq = this.seq.get(id) ?? -1;
    for (const ix of this.indexes.values()) ix.ordered?.move(stored, newDoc, id, seq);
    this.docs.set(id, newDoc);
  }

  remove(doc: Document): boolean {
    const id = enc(doc._id);
    const cur = this.docs.get(id);
    if (!cur) return false;
    const seq = this.seq.get(id) ?? -1;
    for (const ix of this.indexes.values()) {
      ix.remove(ix.keysOf(cur), id);
      ix.ordered?.remove(cur, id, seq);
    }
    this.docs.delete(id);
    this.seq.delete(id);
    return true;
  }

  /** Upsert by _id used by journal replay and transaction rollback (still index-checked). */
  put(doc: Document): void {
    const cur = this.docs.get(enc(doc._id));
    if (cur) this.replace(cur, doc);
    else this.insert(doc);
  }

  getById(id: unknown): Document | undefined {
    return this.docs.get(enc(id));
  }

  /**
   * Creates an index. Returns false when an identical one already exists; throws 85/86 on conflicts and
   * E11000 when existing documents violate a new unique index.
   */
  createIndex(raw: Document | IndexSpec): { created: boolean; spec: IndexSpec } {
    const spec = normaliseSpec(raw as Document);
    if (spec.name === '_id_') {
      if (sameKey(spec, ID_INDEX)) return { created: false, spec: ID_INDEX };
      throw new CommandError(
        Codes.IndexKeySpecsConflict,
        `An existing index has the same name as the requested index. Requested index: ${JSON.stringify(spec)}`,
      );
    }
    if (sameKey(spec, ID_INDEX) && !spec.partialFilterExpression) {
      throw new CommandError(Codes.IndexOptionsConflict, 'Index already exists with a different name: _id_');
    }
    const byName = this.indexes.get(spec.name);
    if (byName) {
      if (sameKey(byName.spec, spec) && sameOptions(byName.spec, spec)) return { created: false, spec: byName.spec };
      throw new CommandError(
        Codes.IndexKeySpecsConflict,
        `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(byName.spec)}`,
      );
    }
    for (const ix of this.indexes.values()) {
      if (
        sameKey(ix.spec, spec) &&
        JSON.stringify(ix.spec.partialFilterExpression ?? null) === JSON.stringify(spec.partialFilterExpression ?? null)
      ) {
        throw new CommandError(
          Codes.IndexOptionsConflict,
          sameOptions(ix.spec, spec)
            ? `Index already exists with a different name: ${ix.name}`
            : `An equivalent index already exists with the same name but different options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(ix.spec)}`,
        );
      }
    }
    const ix = new Index(spec);
    for (const [id, doc] of this.docs) {
      const k = ix.keysOf(doc);
      ix.checkUnique(k, id, doc, this.ns);
      ix.add(k, id);
    }
    this.indexes.set(spec.name, ix);
    return { created: true, spec };
  }

  /** The ordered side of an orderable index, built from the documents on first use (or after a fault). */
  orderedIndex(ix: Index): OrderedIndex {
    if (!ix.ordered || ix.ordered.broken) {
      const oi = ix.ordered ?? new OrderedIndex(ix.spec.key);
      oi.rebuild(this.docs, (id) => this.seq.get(id) ?? -1);
      ix.ordered = oi;
    }
    return ix.ordered;
  }

  dropIndex(name: string): void {
    if (name === '_id_') throw new CommandError(Codes.InvalidOptions, 'cannot drop _id index');
    if (!this.indexes.delete(name)) throw new CommandError(Codes.IndexNotFound, `index not found with name [${name}]`);
  }

  indexSpecs(): IndexSpec[] {
    return [ID_INDEX, ...[...this.indexes.values()].map((ix) => ix.spec)];
  }
}

function sameKeys(a: string[][] | null, b: string[][] | null): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x.length !== y.length) return false;
    for (let j = 0; j < x.length; j++) if (x[j] !== y[j]) return false;
  }
  return true;
}
