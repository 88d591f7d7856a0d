// Secondary indexes of the embedded engine: hash maps from canonical key strings to document ids, for single,
// compound (every key prefix is looked up), multikey, unique, sparse, partial and TTL indexes. Builds the
// exact E11000 error. Orderable indexes also get an ordered side (ordered-index.ts), built by the collection on
// first use by a sorted read. Must never hold document objects (ids only) and never mutate documents.
import type { Document } from 'bson';
import type { Query } from 'mingo/query';
import { CommandError, Codes } from './errors.js';
import { compileQuery } from './mingo-context.js';
import type { OrderedIndex } from './ordered-index.js';
import type { IndexSpec } from './persistence/types.js';
import { enc, formatValue, isPlainObject, pathValues } from './values.js';

type IdSet = string | Set<string>;

const MAX_KEYS_PER_DOC = 10_000;

export class Index {
  readonly name: string;
  readonly spec: IndexSpec;
  readonly fields: string[];
  readonly unique: boolean;
  readonly sparse: boolean;
  readonly partial: Query | null;
  readonly expireAfterSeconds: number | undefined;
  /** maps[k] indexes the first k+1 fields; the last one holds full keys. */
  private readonly maps: Map<string, IdSet>[];
  /** Every document is indexed under ascending/descending keys (not sparse, partial or hashed). */
  readonly orderable: boolean;
  /** Entries in index order, maintained by the collection once a sorted read asked for them (null until then). */
  ordered: OrderedIndex | null = null;

  constructor(spec: IndexSpec) {
    this.spec = spec;
    this.name = spec.name;
    this.fields = Object.keys(spec.key);
    this.unique = spec.unique === true;
    this.sparse = spec.sparse === true;
    this.partial = spec.partialFilterExpression ? compileQuery(spec.partialFilterExpression) : null;
    this.expireAfterSeconds = typeof spec.expireAfterSeconds === 'number' ? spec.expireAfterSeconds : undefined;
    this.maps = this.fields.map(() => new Map());
    this.orderable = !this.sparse && !this.partial && this.fields.every((f) => spec.key[f] === 1 || spec.key[f] === -1);
  }

  /** Key strings per prefix length for a document, or null when the document is not indexed. */
  keysOf(doc: Document): string[][] | null {
    if (this.partial && !this.partial.test(doc)) return null;
    const perField: string[][] = [];
    let anyPresent = false;
    for (const f of this.fields) {
      const vals = pathValues(doc, f);
      const keys = new Set<string>();
      for (const v of vals) {
        if (v !== undefined) anyPresent = true;
        keys.add(enc(v));
      }
      perField.push([...keys]);
    }
    if (this.sparse && !anyPresent) return null;
    const out: string[][] = [];
    let prev: string[] = [''];
    for (let i = 0; i < perField.length; i++) {
      const next: string[] = [];
      for (const p of prev) {
        for (const k of perField[i]) {
          next.push(perField.length === 1 ? k : p + k.length + ':' + k);
          if (next.length > MAX_KEYS_PER_DOC) {
            throw new CommandError(Codes.CannotCreateIndex, `too many index keys for index ${this.name}`);
          }
        }
      }
      out.push(next);
      prev = next;
    }
    return out;
  }

  /** Throws E11000 if `keys` collide with a document other than `id`. */
  checkUnique(keys: string[][] | null, id: string, doc: Document, ns: string): void {
    if (!this.unique || !keys) return;
    const full = this.maps[this.maps.length - 1];
    for (const k of keys[keys.length - 1]) {
      const holder = full.get(k);
      if (holder === undefined) continue;
      if (typeof holder === 'string' ? holder !== id : holder.size > 1 || !holder.has(id)) {
        throw this.duplicateError(doc, ns);
      }
    }
  }

  duplicateError(doc: Document, ns: string): CommandError {
    const keyPattern: Document = { ...this.spec.key };
    const keyValue: Document = {};
    for (const f of this.fields) {
      const vals = pathValues(doc, f);
      keyValue[f] = vals.length === 1 ? (vals[0] ?? null) : (vals.find((v) => v !== undefined) ?? null);
    }
    const shown = this.fields.map((f) => `${f}: ${formatValue(keyValue[f])}`).join(', ');
    return new CommandError(
      Codes.DuplicateKey,
      `E11000 duplicate key error collection: ${ns} index: ${this.name} dup key: { ${shown} }`,
      { keyPattern, keyValue },
    );
  }

  add(keys: string[][] | null, id: string): void {
    if (!keys) return;
    for (let i = 0; i < keys.length; i++) {
      const m = this.maps[i];
      for (const k of keys[i]) {
        const cur = m.get(k);
        if (cur === undefined) m.set(k, id);
        else if (typeof cur === 'string') {
          if (cur !== id) m.set(k, new Set([cur, id]));
        } else cur.add(id);
      }
    }
  }

  remove(keys: string[][] | null, id: string): void {
    if (!keys) return;
    for (let i = 0; i < keys.length; i++) {
      const m = this.maps[i];
      for (const k of keys[i]) {
        const cur = m.get(k);
        if (cur === undefined) continue;
        if (typeof cur === 'string') {
          if (cur === id) m.delete(k);
        } else {
          cur.delete(id);
          if (cur.size === 1) m.set(k, cur.values().next().value as string);
          else if (cur.size === 0) m.delete(k);
        }
      }
    }
  }

  /** Ids stored under a key of the given prefix length (1-based). */
  lookup(prefixLen: number, key: string, out: Set<string>): void {
    const cur = this.maps[prefixLen - 1].get(key);
    if (cur === undefined) return;
    if (typeof cur === 'string') out.add(cur);
    else for (const id of cur) out.add(id);
  }

  count(prefixLen: number, key: string): number {
    const cur = this.maps[prefixLen - 1].get(key);
    return cur === undefined ? 0 : typeof cur === 'string' ? 1 : cur.size;
  }

  clear(): void {
    for (const m of this.maps) m.clear();
    this.ordered = null;
  }

  /** The listIndexes shape. */
  describe(): Document {
    const { name, key, ...rest } = this.spec;
    return { v: 2, key, name, ...rest };
  }
}

/** Composes the prefix key for compound lookups from per-field canonical encodings. */
export function composeKey(parts: string[], totalFields: number): string {
  if (totalFields === 1) return parts[0];
  let s = '';
  for (const p of parts) s += p.length + ':' + p;
  return s;
}

const ALLOWED_OPTIONS = new Set([
  'name',
  'key',
  'unique',
  'sparse',
  'partialFilterExpression',
  'expireAfterSeconds',
  'background',
  'v',
  'ns',
  'hidden',
  'collation',
]);

/** Validates and normalises a createIndexes entry into the persisted IndexSpec. */
export function normaliseSpec(raw: Document): IndexSpec {
  if (!isPlainObject(raw.key) || Object.keys(raw.key).length === 0) {
    throw new CommandError(Codes.CannotCreateIndex, 'index key pattern must be a non-empty object');
  }
  const key: Record<string, 1 | -1 | string> = {};
  for (const [f, d] of Object.entries(raw.key as Document)) {
    if (d === 1 || d === -1) key[f] = d;
    else if (typeof d === 'number' && d !== 0) key[f] = d > 0 ? 1 : -1;
    else if (d === 'hashed') key[f] = 'hashed';
    else {
      throw new CommandError(
        Codes.CannotCreateIndex,
        `index type ${JSON.stringify(d)} on field '${f}' is not supported by the embedded database engine`,
      );
    }
  }
  for (const k of Object.keys(raw)) {
    if (!ALLOWED_OPTIONS.has(k)) {
      throw new CommandError(
        Codes.InvalidOptions,
        `index option '${k}' is not supported by the embedded database engine`,
      );
    }
  }
  if (raw.collation && (raw.collation as Document).locale !== 'simple') {
    throw new CommandError(
      Codes.CannotCreateIndex,
      'index collations are not supported by the embedded database engine',
    );
  }
  const name = typeof raw.name === 'string' && raw.name ? raw.name : defaultIndexName(key);
  const spec: IndexSpec = { name, key };
  if (raw.unique === true) spec.unique = true;
  if (raw.sparse === true) spec.sparse = true;
  if (spec.unique && Object.values(key).includes('hashed')) {
    throw new CommandError(
      Codes.Location16764,
      'Currently hashed indexes cannot guarantee uniqueness. Use a regular index.',
    );
  }
  if (raw.partialFilterExpression !== undefined) {
    if (!isPlainObject(raw.partialFilterExpression))
      throw new CommandError(Codes.CannotCreateIndex, 'partialFilterExpression must be an object');
    if (raw.sparse === true)
      throw new CommandError(Codes.CannotCreateIndex, 'cannot mix "partialFilterExpression" and "sparse" options');
    checkPartialFilter(raw.partialFilterExpression);
    compileQuery(raw.partialFilterExpression);
    spec.partialFilterExpression = raw.partialFilterExpression;
  }
  if (raw.expireAfterSeconds !== undefined) {
    const e = Number(raw.expireAfterSeconds);
    if (!Number.isFinite(e) || e < 0)
      throw new CommandError(Codes.CannotCreateIndex, 'expireAfterSeconds must be a non-negative number');
    if (Object.keys(key).length !== 1)
      throw new CommandError(
        Codes.CannotCreateIndex,
        'TTL indexes are single-field indexes, compound indexes do not support TTL',
      );
    spec.expireAfterSeconds = e;
  }
  if (raw.hidden === true) spec.hidden = true;
  return spec;
}

const PARTIAL_OPERATORS = new Set(['$eq', '$exists', '$gt', '$gte', '$lt', '$lte', '$type', '$in']);

/** MongoDB's partial index filters allow only equality, $exists, comparisons, $type, $in, $and and $or. */
function checkPartialFilter(filter: Document): void {
  const unsupported = (what: string) =>
    new CommandError(Codes.CannotCreateIndex, `Expression not supported in partial index: ${what}`);
  for (const [k, v] of Object.entries(filter)) {
    if (k === '$and' || k === '$or') {
      if (!Array.isArray(v)) throw unsupported(k);
      for (const sub of v) if (isPlainObject(sub)) checkPartialFilter(sub);
      continue;
    }
    if (k.startsWith('$')) throw unsupported(k);
    if (!isPlainObject(v) || !Object.keys(v).some((o) => o.startsWith('$'))) continue;
    for (const [op, arg] of Object.entries(v)) {
      if (!PARTIAL_OPERATORS.has(op) || (op === '$exists' && arg !== true)) throw unsupported(`${k} ${op}`);
    }
  }
}

export function defaultIndexName(key: Record<string, unknown>): string {
  return Object.entries(key)
    .map(([f, d]) => `${f}_${String(d)}`)
    .join('_');
}

const SPEC_OPTION_KEYS = ['unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds'] as const;

/** True when two specs describe the same index (name, key and options). */
export function sameKey(a: IndexSpec, b: IndexSpec): boolean {
  return JSON.stringify(Object.entries(a.key)) === JSON.stringify(Object.entries(b.key));
}

export function sameOptions(a: IndexSpec, b: IndexSpec): boolean {
  return SPEC_OPTION_KEYS.every((k) => JSON.stringify(a[k] ?? null) === JSON.stringify(b[k] ?? null));
}
