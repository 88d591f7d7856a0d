// Query planning and execution for the embedded engine: picks the _id or a secondary index for equality / $in
// predicates (compound indexes by prefix), falls back to a collection scan, then filters with mingo, sorts in
// MongoDB order, skips/limits and projects. Sorted reads with a limit first try an ordered index walk
// (ordered-plan.ts), which stops early with the same result. Must never mutate stored documents or the filter
// it is given.
import type { Document } from 'bson';
import { ObjectId } from 'bson';
import type { Collection } from './collection.js';
import { CommandError, Codes } from './errors.js';
import { composeKey, type Index } from './indexes.js';
import { orderedFind } from './ordered-plan.js';
import { partialCovers } from './partial-cover.js';
import { compileQuery, runPipeline } from './mingo-context.js';
import { parseSort, sortBy } from './sort.js';
import type { EngineStats } from './store.js';
import { clone, enc, getPath, isPlainObject, pathValues, setPath } from './values.js';

export { sortDocs } from './sort.js';

export interface Plan {
  stage: 'IDHACK' | 'IXSCAN' | 'COLLSCAN' | 'EOF';
  indexName?: string;
  ids?: Set<string>;
  keysExamined: number;
  /** Ordered index walks: the index key pattern, walk direction and number of key ranges walked. */
  keyPattern?: Record<string, unknown>;
  direction?: 'forward' | 'backward';
  ranges?: number;
}

/** A secondary-index equality plan before its ids are collected. */
interface IndexChoice {
  ix: Index;
  len: number;
  keys: string[];
  cost: number;
}

const MAX_COMBINATIONS = 2000;

/** Values usable for an index lookup: scalars other than null/undefined, ObjectId, Date. */
function indexable(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  const t = typeof v;
  if (t === 'string' || t === 'boolean' || (t === 'number' && !Number.isNaN(v))) return true;
  return v instanceof ObjectId || v instanceof Date;
}

/** Equality constraints (path → allowed values) implied by the top level of a filter (and nested $and). */
export function equalityConstraints(filter: Document, out = new Map<string, unknown[]>()): Map<string, unknown[]> {
  for (const key of Object.keys(filter)) {
    const v = filter[key];
    if ((key === '$and' || (key === '$or' && Array.isArray(v) && v.length === 1)) && Array.isArray(v)) {
      // a one-clause $or is that clause
      for (const sub of v) if (isPlainObject(sub)) equalityConstraints(sub, out);
      continue;
    }
    if (key.startsWith('$') || /(^|\.)\d+(\.|$)/.test(key) || out.has(key)) continue;
    if (indexable(v)) {
      out.set(key, [v]);
    } else if (isPlainObject(v)) {
      if ('$eq' in v && indexable(v.$eq)) out.set(key, [v.$eq]);
      else if (Array.isArray(v.$in) && v.$in.length > 0 && v.$in.every(indexable)) out.set(key, v.$in as unknown[]);
    }
  }
  return out;
}

export function plan(coll: Collection, filter: Document): Plan {
  return materialise(choosePlan(coll, equalityConstraints(filter)));
}

/** The cheapest equality plan; a secondary-index plan is returned without its ids (see `materialise`). */
function choosePlan(coll: Collection, eq: Map<string, unknown[]>): Plan | IndexChoice {
  if (eq.size === 0) return { stage: 'COLLSCAN', keysExamined: 0 };
  const idVals = eq.get('_id');
  if (idVals) {
    const ids = new Set<string>();
    for (const v of idVals) {
      const k = enc(v);
      if (coll.docs.has(k)) ids.add(k);
    }
    return { stage: 'IDHACK', indexName: '_id_', ids, keysExamined: idVals.length };
  }
  let best: IndexChoice | null = null;
  for (const ix of coll.indexes.values()) {
    if (ix.spec.hidden || !partialCovers(ix, eq)) continue;
    let len = 0;
    while (len < ix.fields.length && eq.has(ix.fields[len])) len++;
    if (len === 0) continue;
    // cartesian product of the constrained prefix values
    let combos: string[][] = [[]];
    let tooMany = false;
    for (let i = 0; i < len && !tooMany; i++) {
      const vals = eq.get(ix.fields[i])!;
      const next: string[][] = [];
      for (const c of combos) for (const v of vals) next.push([...c, enc(v)]);
      combos = next;
      tooMany = combos.length > MAX_COMBINATIONS;
    }
    if (tooMany) continue;
    const keys = combos.map((parts) => composeKey(parts, ix.fields.length));
    let cost = 0;
    for (const k of keys) cost += ix.count(len, k);
    if (!best || cost < best.cost || (cost === best.cost && len > best.len)) best = { ix, len, keys, cost };
  }
  return best ?? { stage: 'COLLSCAN', keysExamined: 0 };
}

function materialise(choice: Plan | IndexChoice): Plan {
  if ('stage' in choice) return choice;
  const ids = new Set<string>();
  for (const k of choice.keys) choice.ix.lookup(choice.len, k, ids);
  return { stage: 'IXSCAN', indexName: choice.ix.name, ids, keysExamined: choice.keys.length + ids.size };
}

/**
 * A document predicate for a filter. Plain scalar equality filters (the common `{ key: value }` / `{ _id }`
 * lookups) are matched without mingo; everything else is compiled by mingo. Returns null when every candidate
 * of the plan matches by construction.
 */
export function compileFilter(filter: Document, p?: Plan): ((doc: Document) => boolean) | null {
  const keys = Object.keys(filter);
  if (keys.length === 0) return null;
  // Plain equality, {$eq: v} and {$in: [v, …]} on scalar values are matched without mingo: a set of encoded values
  // per path (the same encoding the indexes use), any array element counting like MongoDB.
  const wanted: Array<readonly [string, Set<string>]> = [];
  for (const k of keys) {
    const allowed = k.startsWith('$') || /(^|\.)\d+(\.|$)/.test(k) ? null : scalarSet(filter[k]);
    if (!allowed) {
      const q = compileQuery(filter);
      return (d) => q.test(d);
    }
    wanted.push([k, allowed]);
  }
  if (p?.stage === 'IDHACK' && keys.length === 1 && wanted[0][1].size === 1) return null;
  return (d) => {
    for (const [path, allowed] of wanted) {
      let hit = false;
      for (const v of pathValues(d, path)) {
        if (v !== undefined && allowed.has(enc(v))) {
          hit = true;
          break;
        }
      }
      if (!hit) return false;
    }
    return true;
  };
}

/** The encoded values a condition accepts when it is scalar equality, $eq or a non-empty $in of scalars; else null. */
function scalarSet(cond: unknown): Set<string> | null {
  if (indexable(cond)) return new Set([enc(cond)]);
  if (!isPlainObject(cond)) return null;
  const ops = Object.keys(cond);
  if (ops.length !== 1) return null;
  const v = cond[ops[0]];
  if (ops[0] === '$eq' && indexable(v)) return new Set([enc(v)]);
  if (ops[0] === '$in' && Array.isArray(v) && v.length > 0 && v.every(indexable)) return new Set(v.map((x) => enc(x)));
  return null;
}

export interface FindOptions {
  sort?: Document;
  skip?: number;
  limit?: number;
  projection?: Document;
}

export interface FindResult {
  docs: Document[];
  plan: Plan;
  docsExamined: number;
}

/** Candidate [id, document] pairs, in natural (insertion) order like a collection scan. */
function* candidates(coll: Collection, p: Plan): Generator<[string, Document]> {
  if (!p.ids) {
    yield* coll.docs.entries();
    return;
  }
  let ids: Iterable<string> = p.ids;
  if (p.ids.size > 1) ids = [...p.ids].sort((a, b) => (coll.seq.get(a) ?? 0) - (coll.seq.get(b) ?? 0));
  for (const id of ids) {
    const d = coll.docs.get(id);
    if (d) yield [id, d];
  }
}

/**
 * What `reader` (a transaction, or null for autocommit) may see: documents changed by another open
 * transaction appear in their committed state (and the ones it deleted still appear).
 */
function* visible(coll: Collection, p: Plan, reader: object | null): Generator<Document> {
  if (coll.dirty.size === 0) {
    for (const [, d] of candidates(coll, p)) yield d;
    return;
  }
  const seen = new Set<string>();
  for (const [id, d] of candidates(coll, p)) {
    seen.add(id);
    const e = coll.dirty.get(id);
    if (!e || e.owner === reader) yield d;
    else if (e.before) yield e.before;
  }
  for (const [id, e] of coll.dirty) {
    if (!seen.has(id) && e.owner !== reader && e.before) yield e.before;
  }
}

/** Runs filter + sort + skip + limit (+ projection) against a collection. Result documents are shared, never mutate them. */
export function find(
  coll: Collection | undefined,
  filter: Document,
  opts: FindOptions,
  stats: EngineStats,
  reader: object | null = null,
): FindResult {
  if (!coll) return { docs: [], plan: { stage: 'EOF', keysExamined: 0 }, docsExamined: 0 };
  const eq = equalityConstraints(filter);
  const choice = choosePlan(coll, eq);
  const q = compileFilter(filter, coll.dirty.size || !('stage' in choice) ? undefined : choice);
  const skip = opts.skip ?? 0;
  const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
  const sort = opts.sort && Object.keys(opts.sort).length ? parseSort(opts.sort) : null;
  if (sort && !('stage' in choice && choice.stage === 'IDHACK')) {
    const hashCost = 'stage' in choice ? null : choice.cost;
    const res = orderedFind(coll, filter, eq, sort, skip, limit, hashCost, q);
    if (res) {
      stats.indexLookups++;
      stats.keysExamined += res.plan.keysExamined;
      stats.docsExamined += res.docsExamined;
      if (opts.projection && Object.keys(opts.projection).length) res.docs = project(res.docs, opts.projection, filter);
      return res;
    }
  }
  const p = materialise(choice);
  if (p.stage === 'COLLSCAN') stats.collectionScans++;
  else stats.indexLookups++;
  stats.keysExamined += p.keysExamined;
  const stopAt = sort ? Infinity : skip + limit;
  const matched: Document[] = [];
  let examined = 0;
  for (const d of visible(coll, p, reader)) {
    examined++;
    if (!q || q(d)) {
      matched.push(d);
      if (matched.length >= stopAt) break;
    }
  }
  stats.docsExamined += examined;
  if (sort) sortBy(matched, sort, (_d, i) => i);
  let docs = skip || limit !== Infinity ? matched.slice(skip, skip + limit) : matched;
  if (opts.projection && Object.keys(opts.projection).length) docs = project(docs, opts.projection, filter);
  return { docs, plan: p, docsExamined: examined };
}

/**
 * Applies a find projection. `field.$` (positional) keeps the first element of the array `field` that matches
 * the filter's conditions on that field; `$meta` is refused.
 */
export function project(docs: Document[], projection: Document, filter: Document = {}): Document[] {
  let spec = projection;
  const positional: string[] = [];
  for (const k of Object.keys(projection)) {
    if (k.endsWith('.$')) positional.push(k.slice(0, -2));
    else if (k.includes('.$')) throw new CommandError(Codes.BadValue, `invalid positional projection '${k}'`);
    const v = projection[k];
    if (isPlainObject(v) && Object.keys(v).some((op) => op === '$meta')) {
      throw new CommandError(Codes.BadValue, '$meta projections are not supported by the embedded database engine');
    }
  }
  const matchers = new Map<string, (e: unknown) => boolean>();
  if (positional.length) {
    if (positional.length > 1)
      throw new CommandError(Codes.BadValue, 'Cannot specify more than one positional proj. per query.');
    spec = {};
    for (const [k, v] of Object.entries(projection)) spec[k.endsWith('.$') ? k.slice(0, -2) : k] = v;
    for (const path of positional) {
      const cond: Document = {};
      for (const [k, v] of Object.entries(filter)) if (k === path || k.startsWith(path + '.')) cond[k] = v;
      if (!Object.keys(cond).length) {
        throw new CommandError(
          Codes.BadValue,
          'Executor error during find command :: caused by :: positional operator (' +
            path +
            '.$) requires corresponding field in query specifier',
        );
      }
      const q = compileQuery(cond);
      matchers.set(path, (e) => q.test(setPathDoc(path, [e])));
    }
  }
  // mingo's $project edits nested sub-documents of its input in place: give it copies, never stored documents.
  const out = sliceOnly(spec) ? projectSlices(docs, spec) : runPipeline(docs.map(clone), [{ $project: spec }]);
  for (let i = 0; i < out.length; i++) {
    let d = out[i];
    for (const [path, match] of matchers) {
      const arr = getPath(docs[i], path);
      const hit = Array.isArray(arr) ? arr.find(match) : undefined;
      d = { ...d };
      if (hit === undefined) unsetTop(d, path);
      else setPathIn(d, path, [hit]);
    }
    // MongoDB keeps _id first
    if ('_id' in d && Object.keys(d)[0] !== '_id') {
      const { _id, ...rest } = d;
      d = { _id, ...rest };
    }
    out[i] = d;
  }
  return out;
}

function setPathDoc(path: string, value: unknown): Document {
  const d: Document = {};
  setPathIn(d, path, value);
  return d;
}

function setPathIn(d: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = d;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = cur[parts[i]];
    cur[parts[i]] = isPlainObject(next) ? { ...next } : {};
    cur = cur[parts[i]] as Document;
  }
  cur[parts[parts.length - 1]] = value;
}

function unsetTop(d: Document, path: string): void {
  const parts = path.split('.');
  if (parts.length === 1) delete d[path];
}

const isSlice = (v: unknown): boolean => isPlainObject(v) && Object.keys(v).length === 1 && '$slice' in v;

/** A projection of only `$slice`s (and exclusions) keeps every other field, like MongoDB (mingo drops them). */
function sliceOnly(spec: Document): boolean {
  const vals = Object.values(spec);
  return vals.some(isSlice) && vals.every((v) => isSlice(v) || v === 0 || v === false);
}

function projectSlices(docs: Document[], spec: Document): Document[] {
  const excluded = Object.fromEntries(Object.entries(spec).filter(([, v]) => !isSlice(v)));
  const base = Object.keys(excluded).length ? runPipeline(docs.map(clone), [{ $project: excluded }]) : docs.map(clone);
  for (const d of base) {
    for (const [path, v] of Object.entries(spec)) {
      if (!isSlice(v)) continue;
      const arr = getPath(d, path);
      if (!Array.isArray(arr)) continue;
      const arg = (v as Document).$slice as unknown;
      let sliced: unknown[];
      if (Array.isArray(arg)) {
        const [skip, limit] = arg.map(Number);
        const start = skip < 0 ? Math.max(arr.length + skip, 0) : skip;
        sliced = arr.slice(start, start + limit);
      } else {
        const n = Number(arg);
        sliced = n >= 0 ? arr.slice(0, n) : arr.slice(n);
      }
      setPath(d, path, sliced);
    }
  }
  return base;
}
