// MongoDB sort order for the embedded engine: sort-spec validation, the sort key of a document for one path
// (arrays sort by their min/max element, missing = null) and the in-memory sort (ties keep the input order).
// Both the in-memory path and the ordered index walk use these, so the two orders can never drift apart.
// Pure functions only: must never mutate documents.
import type { Document } from 'bson';
import { CommandError, Codes } from './errors.js';
import { compareValues, isPlainObject, pathValues } from './values.js';

export interface SortKeySpec {
  path: string;
  dir: 1 | -1;
}

/** Validates a sort document into (path, direction) pairs, with MongoDB's errors. */
export function parseSort(sort: Document): SortKeySpec[] {
  return Object.entries(sort).map(([path, dir]) => {
    if (isPlainObject(dir))
      throw new CommandError(
        Codes.BadValue,
        `sort by ${JSON.stringify(dir)} is not supported by the embedded database engine`,
      );
    const d = Number(dir);
    if (d !== 1 && d !== -1)
      throw new CommandError(Codes.BadValue, `$sort key ordering must be 1 (for ascending) or -1 (for descending)`);
    return { path, dir: d };
  });
}

/** Sorts in place following MongoDB rules; `tie` orders documents whose sort keys are all equal. */
export function sortBy(docs: Document[], spec: SortKeySpec[], tie: (doc: Document, i: number) => number): void {
  const keyed = docs.map((doc, i) => ({
    doc,
    t: tie(doc, i),
    keys: spec.map((s) => (s.path === '$natural' ? i : sortKey(doc, s.path, s.dir))),
  }));
  keyed.sort((a, b) => {
    for (let j = 0; j < spec.length; j++) {
      const c = compareValues(a.keys[j], b.keys[j]);
      if (c) return c * spec[j].dir;
    }
    return a.t - b.t;
  });
  for (let i = 0; i < keyed.length; i++) docs[i] = keyed[i].doc;
}

/** Sorts in place following MongoDB rules (arrays sort by their min/max element, missing = null). */
export function sortDocs(docs: Document[], sort: Document): void {
  sortBy(docs, parseSort(sort), (_d, i) => i);
}

/** The value a document sorts by on one path in one direction. */
export function sortKey(doc: Document, path: string, dir: number): unknown {
  const vals = pathValues(doc, path);
  if (vals.length === 1) return vals[0] === undefined ? null : vals[0];
  let best: unknown = undefined;
  let first = true;
  for (const v of vals) {
    const x = v === undefined ? null : v;
    if (first || compareValues(x, best) * dir < 0) best = x;
    first = false;
  }
  return best;
}
