// Sorted reads through an ordered index walk: for find with sort + limit, picks an index whose key pattern is
// (equality-prefix fields, then) the leading sort keys in the same or exactly reversed directions, walks its
// entries in sort order (one range per equality-prefix value combination, merged), filters every document with
// the full filter, sorts each group of equal walked keys by the remaining sort keys then natural order, and stops
// at the first group boundary once skip + limit documents matched. The result is by construction identical to
// filter + full sort + skip + limit; whenever that cannot be guaranteed (no limit, multikey or unsure keys, open
// transactions on the collection, sparse/partial/hashed/hidden index, $natural) it answers null and the caller
// takes the in-memory path. Must never mutate documents, the filter, or the index.
import type { Document } from 'bson';
import type { Collection } from './collection.js';
import type { Index } from './indexes.js';
import { compareKeys, type Entry, type OrderedIndex, type Pos } from './ordered-index.js';
import type { Plan } from './planner.js';
import { sortBy, type SortKeySpec } from './sort.js';
import { isPlainObject } from './values.js';

const MAX_RANGES = 64;

export interface OrderedResult {
  /** Matched documents in final order, skip + limit applied. */
  docs: Document[];
  plan: Plan;
  docsExamined: number;
}

interface Candidate {
  ix: Index;
  oi: OrderedIndex;
  /** Number of leading index fields pinned by equality. */
  prefix: number;
  /** Sort keys served by the walk (index fields prefix .. prefix + walked - 1). */
  walked: SortKeySpec[];
  /** Sort keys applied inside each group of equal walked keys. */
  rest: SortKeySpec[];
  backward: boolean;
  ranges: [Pos, Pos][];
  size: number;
}

/** Adds `{f: null}` / `{f: {$eq: null}}` constraints (top level, $and, one-clause $or) to a copy of `eq`. */
function withNulls(filter: Document, eq: Map<string, unknown[]>): Map<string, unknown[]> {
  const out = new Map(eq);
  const visit = (f: Document) => {
    for (const key of Object.keys(f)) {
      const v = f[key];
      if ((key === '$and' || (key === '$or' && Array.isArray(v) && v.length === 1)) && Array.isArray(v)) {
        for (const sub of v) if (isPlainObject(sub)) visit(sub);
        continue;
      }
      if (key.startsWith('$') || /(^|\.)\d+(\.|$)/.test(key) || out.has(key)) continue;
      if (v === null || (isPlainObject(v) && '$eq' in v && v.$eq === null)) out.set(key, [null]);
    }
  };
  visit(filter);
  return out;
}

function combinations(fields: string[], eq: Map<string, unknown[]>): unknown[][] | null {
  let combos: unknown[][] = [[]];
  for (const f of fields) {
    const next: unknown[][] = [];
    const vals = eq.get(f)!;
    // an invalid Date compares equal to every Date: no range can be bounded by it
    if (vals.some((v) => v instanceof Date && Number.isNaN(v.getTime()))) return null;
    for (const c of combos) for (const v of vals) next.push([...c, v]);
    if (next.length > MAX_RANGES) return null;
    combos = next;
  }
  return combos;
}

/** How `ix` could serve the sort, or null when it cannot. */
function candidate(coll: Collection, ix: Index, eq: Map<string, unknown[]>, spec: SortKeySpec[]): Candidate | null {
  if (!ix.orderable || ix.spec.hidden) return null;
  const fields = ix.fields;
  const sortPaths = new Set(spec.map((s) => s.path));
  let prefix = 0;
  while (prefix < fields.length) {
    const vals = eq.get(fields[prefix]);
    if (!vals || (vals.length > 1 && sortPaths.has(fields[prefix]))) break;
    prefix++;
  }
  // sort keys pinned to one value over the walked ranges cannot change the order
  const pinned = new Set(fields.slice(0, prefix).filter((f) => eq.get(f)!.length === 1));
  const keys = spec.filter((s) => !pinned.has(s.path));
  if (keys.length === 0 || prefix >= fields.length || fields[prefix] !== keys[0].path) return null;
  const oi = coll.orderedIndex(ix);
  if (!oi.usable) return null;
  const backward = keys[0].dir !== oi.dirs[prefix];
  let n = 0;
  while (
    prefix + n < fields.length &&
    n < keys.length &&
    fields[prefix + n] === keys[n].path &&
    keys[n].dir === (backward ? -oi.dirs[prefix + n] : oi.dirs[prefix + n])
  )
    n++;
  const combos = combinations(fields.slice(0, prefix), eq);
  if (!combos) return null;
  const ranges: [Pos, Pos][] = [];
  const starts = new Set<string>();
  let size = 0;
  for (const values of combos) {
    const range: [Pos, Pos] = prefix ? [oi.bound(values, false), oi.bound(values, true)] : [oi.begin(), oi.end()];
    const count = oi.count(range[0], range[1]);
    const start = `${range[0].c}:${range[0].i}`;
    if (count === 0 || starts.has(start)) continue;
    starts.add(start);
    ranges.push(range);
    size += count;
  }
  return { ix, oi, prefix, walked: keys.slice(0, n), rest: keys.slice(n), backward, ranges, size };
}

/** Entries of all ranges in walk order (ties between ranges in any order: groups are sorted afterwards). */
function* merged(c: Candidate, before: (a: Entry, b: Entry) => number): Generator<Entry> {
  if (c.ranges.length === 1) {
    yield* c.oi.walk(c.ranges[0][0], c.ranges[0][1], c.backward);
    return;
  }
  const iters = c.ranges.map(([lo, hi]) => c.oi.walk(lo, hi, c.backward));
  const heads: (Entry | undefined)[] = iters.map((it) => it.next().value as Entry | undefined);
  for (;;) {
    let best = -1;
    for (let k = 0; k < heads.length; k++) {
      const h = heads[k];
      if (h && (best < 0 || before(h, heads[best]!) < 0)) best = k;
    }
    if (best < 0) return;
    yield heads[best]!;
    heads[best] = iters[best].next().value as Entry | undefined;
  }
}

/**
 * Runs a sorted, limited find through an ordered index walk, or returns null when no index can serve it at a
 * lower estimated cost than `hashCost` (documents the equality plan would fetch; null = collection scan).
 */
export function orderedFind(
  coll: Collection,
  filter: Document,
  eq: Map<string, unknown[]>,
  spec: SortKeySpec[],
  skip: number,
  limit: number,
  hashCost: number | null,
  q: ((doc: Document) => boolean) | null,
): OrderedResult | null {
  if (!Number.isFinite(limit) || coll.dirty.size > 0 || spec.some((s) => s.path === '$natural')) return null;
  const need = skip + limit;
  const eqx = withNulls(filter, eq);
  let best: Candidate | null = null;
  for (const ix of coll.indexes.values()) {
    const c = candidate(coll, ix, eqx, spec);
    if (!c) continue;
    if (
      !best ||
      c.size < best.size ||
      (c.size === best.size && (c.walked.length > best.walked.length || c.prefix > best.prefix))
    )
      best = c;
  }
  if (!best) return null;
  const total = coll.docs.size;
  const cost = hashCost ?? total;
  // expected walk: skip + limit matches at the selectivity the equality plan suggests, at most the whole range
  const expected = Math.min(best.size, (need * total) / Math.max(1, cost));
  if (hashCost !== null && best.size > cost && expected > cost) return null;
  return walk(coll, best, need, skip, limit, q);
}

function walk(
  coll: Collection,
  c: Candidate,
  need: number,
  skip: number,
  limit: number,
  q: ((doc: Document) => boolean) | null,
): OrderedResult {
  const at = c.prefix;
  const walked = c.walked;
  const before = (a: Entry, b: Entry): number => {
    for (let k = 0; k < walked.length; k++) {
      const x = compareKeys(a.vals[at + k], b.vals[at + k]);
      if (x) return x * walked[k].dir;
    }
    return 0;
  };
  const out: Document[] = [];
  let group: Document[] = [];
  let seqs: number[] = [];
  const flush = () => {
    if (group.length > 1) sortBy(group, c.rest, (_d, i) => seqs[i]);
    for (const d of group) out.push(d);
    group = [];
    seqs = [];
  };
  let head: Entry | null = null;
  let keys = 0;
  let examined = 0;
  for (const e of merged(c, before)) {
    keys++;
    if (head && before(e, head) !== 0) {
      flush();
      if (out.length >= need) break;
      head = e;
    } else if (!head) head = e;
    const d = coll.docs.get(e.id);
    if (!d) continue;
    examined++;
    if (!q || q(d)) {
      group.push(d);
      seqs.push(e.seq);
    }
  }
  flush();
  return {
    docs: out.slice(skip, skip + limit),
    plan: {
      stage: 'IXSCAN',
      indexName: c.ix.name,
      keysExamined: keys,
      keyPattern: c.ix.spec.key,
      direction: c.backward ? 'backward' : 'forward',
      ranges: c.ranges.length,
    },
    docsExamined: examined,
  };
}
