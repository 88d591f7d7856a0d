// Positional update paths resolved like MongoDB: `$`, `$[]` and `$[id]` are turned into the concrete array
// indexes they select in the document as it was BEFORE the update (MongoDB resolves every path of one update
// against the original document, so `c.$.k` + `c.$.b` both reach the element the query matched even when the
// first changes the matched field). Also the arrayFilters rules checked before any document is read (every
// identifier used and defined). Pure: must never mutate the document or the update it is given.
import type { Document } from 'bson';
import { CommandError, Codes } from './errors.js';
import { compileQuery } from './mingo-context.js';
import { copyEntry } from './normalise.js';
import { formatValue, isPlainObject } from './values.js';
import { validateFilter } from './query-check.js';

const IDENT = /^\$\[([a-z][a-zA-Z0-9]*)\]$/;
const isIndex = (s: string): boolean => /^\d+$/.test(s);

/** The array filters by identifier (each entry's keys name one identifier: `e` or `e.field`). */
export type ArrayFilterMap = Map<string, Document>;

/**
 * Checks `arrayFilters` against the update's paths before anything is read, like MongoDB: every filter's
 * operators are valid (BadValue 2), every identifier a path uses has a filter (BadValue 2), every filter is
 * used (FailedToParse 9). Returns the filters by identifier (empty when there are none).
 */
export function checkArrayFilters(ops: Document | null, arrayFilters: Document[] | undefined): ArrayFilterMap {
  const byId: ArrayFilterMap = new Map();
  for (const f of arrayFilters ?? []) {
    const keys = Object.keys(f);
    if (keys.length === 0)
      throw new CommandError(
        Codes.FailedToParse,
        'Cannot use an expression without a top-level field name in arrayFilters',
      );
    validateFilter(f);
    const id = keys[0].split('.')[0];
    if (keys.some((k) => k.split('.')[0] !== id)) {
      throw new CommandError(
        Codes.FailedToParse,
        `Error parsing array filter :: caused by :: Expected a single top-level field name, found '${id}' and '${keys.find((k) => k.split('.')[0] !== id)?.split('.')[0]}'`,
      );
    }
    if (byId.has(id))
      throw new CommandError(
        Codes.FailedToParse,
        `Found multiple array filters with the same top-level field name ${id}`,
      );
    byId.set(id, f);
  }
  const used = new Set<string>();
  for (const arg of Object.values(ops ?? {})) {
    if (!isPlainObject(arg)) continue;
    for (const path of Object.keys(arg)) {
      if (!path.includes('$[')) continue;
      for (const part of path.split('.')) {
        const m = IDENT.exec(part);
        if (!m) continue;
        if (!byId.has(m[1])) {
          throw new CommandError(Codes.BadValue, `No array filter found for identifier '${m[1]}' in path '${path}'`);
        }
        used.add(m[1]);
      }
    }
  }
  for (const id of byId.keys()) {
    if (!used.has(id)) {
      throw new CommandError(
        Codes.FailedToParse,
        `The array filter for identifier '${id}' was not used in the update ${formatValue(ops ?? {})}`,
      );
    }
  }
  return byId;
}

/**
 * Rewrites every positional path of `ops` to the concrete paths it selects in `doc` (the document before the
 * update), keeping number annotations. A path that cannot be resolved (no array there, no element the query
 * matched) is kept as it is, for the caller's general path to report. Returns null when no path is positional.
 * Concrete paths that overlap are a conflict (40), as in MongoDB.
 */
export function resolvePositional(
  doc: Document,
  ops: Document,
  filter: Document,
  byId: ArrayFilterMap,
): Document | null {
  let any = false;
  for (const arg of Object.values(ops)) {
    if (isPlainObject(arg) && Object.keys(arg).some((p) => p.includes('$'))) any = true;
  }
  if (!any) return null;
  const out: Document = {};
  const concrete: string[] = [];
  for (const [op, arg] of Object.entries(ops)) {
    const a = arg as Document;
    const dst: Document = {};
    for (const path of Object.keys(a)) {
      const paths = path.includes('$') ? expand(doc, path.split('.'), 0, '', filter, byId) : [path];
      for (const p of paths ?? [path]) {
        copyEntry(dst, p, a, path);
        concrete.push(p);
      }
    }
    out[op] = dst;
  }
  checkConcrete(concrete);
  return out;
}

function checkConcrete(paths: string[]): void {
  if (paths.length < 2) return;
  const sorted = [...paths].sort();
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1] || sorted[i].startsWith(sorted[i - 1] + '.')) {
      throw new CommandError(Codes.ConflictingUpdateOperators, `Update created a conflict at '${sorted[i]}'`);
    }
  }
}

/** The concrete paths `parts[i..]` selects under `value` (reached by `prefix`), or null when unresolvable. */
function expand(
  value: unknown,
  parts: string[],
  i: number,
  prefix: string,
  filter: Document,
  byId: ArrayFilterMap,
): string[] | null {
  if (i === parts.length) return [prefix];
  const rest = parts.slice(i);
  if (!rest.some((p) => p.startsWith('$'))) return [prefix ? `${prefix}.${rest.join('.')}` : rest.join('.')];
  const part = parts[i];
  const at = (k: string | number): string => (prefix ? `${prefix}.${k}` : String(k));
  if (part === '$') {
    if (!Array.isArray(value)) return null;
    const idx = positionalIndex(value, prefix, filter);
    return idx === null ? null : expand(value[idx], parts, i + 1, at(idx), filter, byId);
  }
  const m = part === '$[]' ? null : IDENT.exec(part);
  if (part === '$[]' || m) {
    if (!Array.isArray(value)) return null;
    const q = m ? compileQuery(byId.get(m[1]) ?? {}) : null;
    const out: string[] = [];
    for (let k = 0; k < value.length; k++) {
      if (q && !q.test({ [m![1]]: value[k] })) continue;
      const sub = expand(value[k], parts, i + 1, at(k), filter, byId);
      if (!sub) return null;
      out.push(...sub);
    }
    return out;
  }
  let next: unknown;
  if (Array.isArray(value)) next = isIndex(part) ? value[Number(part)] : undefined;
  else if (isPlainObject(value)) next = Object.prototype.hasOwnProperty.call(value, part) ? value[part] : undefined;
  if (next === undefined) return null;
  return expand(next, parts, i + 1, at(part), filter, byId);
}

/** The index of the first element of `arr` (at `field`) that the query's conditions on `field` match. */
function positionalIndex(arr: unknown[], field: string, filter: Document): number | null {
  const keys = Object.keys(filter).filter((k) => k === field || k.startsWith(field + '.'));
  if (keys.length === 0) return null;
  const tries = keys.length > 1 ? [keys, ...keys.map((k) => [k])] : [keys];
  for (const ks of tries) {
    const q = compileQuery(Object.fromEntries(ks.map((k) => [k, filter[k]])));
    for (let i = 0; i < arr.length; i++) if (q.test(nest(field, [arr[i]]))) return i;
  }
  return null;
}

function nest(field: string, v: unknown): Document {
  const parts = field.split('.');
  let out: unknown = v;
  for (let i = parts.length - 1; i >= 0; i--) out = { [parts[i]]: out };
  return out as Document;
}
