// Native `$push` (with `$each`, `$position`, `$sort`, `$slice`) and `$addToSet` (with `$each`) on plain dotted
// paths, with MongoDB's rules: a missing field becomes an array built with every modifier applied, `$addToSet`
// adds each value not already present (exact BSON equality, field order counts) and never removes duplicates
// the array already held, a path through an array of documents is refused (28). Number annotations follow the
// elements when they move. Mutates only the private copy it is given; must never see a stored document.
import type { Document } from 'bson';
import { CommandError, Codes } from './errors.js';
import { isTyped, markTyped, numTypeOf, setNumType, type NumType } from './normalise.js';
import { getIn, parentOf } from './update-ops.js';
import { clone, compareValues, enc, formatValue, getPath, isPlainObject, typeAlias } from './values.js';

/** Operators handled here (for paths without `$` segments). */
export const ARRAY_NATIVE_OPS = new Set(['$push', '$addToSet']);

const PUSH_MODIFIERS = new Set(['$each', '$slice', '$sort', '$position']);

interface Slot {
  v: unknown;
  t: NumType | undefined;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** Applies `$push` or `$addToSet` (plain paths only) to `doc` in place. */
export function applyArrayOp(doc: Document, op: string, arg: Document): void {
  for (const path of Object.keys(arg)) {
    const val = arg[path];
    const spec = isPlainObject(val) && '$each' in val ? val : null;
    const each: Slot[] = spec ? eachOf(op, spec) : [{ v: val, t: numTypeOf(arg, path) }];
    if (op === '$push' && spec) checkPushModifiers(spec);
    const parts = path.split('.');
    const last = parts[parts.length - 1];
    const parent = parentOf(doc, parts, true)!;
    if (Array.isArray(parent) && !/^\d+$/.test(last)) {
      throw new CommandError(
        Codes.PathNotViable,
        `Cannot create field '${last}' in element {${parts.slice(0, -1).join('.')}: ${formatValue(parent)}}`,
      );
    }
    const cur = getIn(parent, last);
    if (cur !== undefined && !Array.isArray(cur)) {
      throw new CommandError(
        Codes.BadValue,
        `The field '${last}' must be an array but is of type ${typeAlias(cur)} in document {_id: ${formatValue(doc._id)}}`,
      );
    }
    const slots: Slot[] = (cur ?? []).map((v, i) => ({ v, t: numTypeOf(cur!, String(i)) }));
    const next = op === '$push' ? push(slots, each, spec) : addToSet(slots, each);
    const arr: unknown[] = next.map((s) => clone(s.v));
    let typed = false;
    next.forEach((s, i) => {
      setNumType(arr, String(i), s.t);
      if (s.t) typed = true;
    });
    if (Array.isArray(parent)) parent[Number(last)] = arr;
    else parent[last] = arr;
    setNumType(parent, last, undefined);
    if (typed || arr.some(isTyped)) markTyped(doc);
  }
}

function eachOf(op: string, spec: Document): Slot[] {
  const each = spec.$each;
  if (!Array.isArray(each)) {
    throw new CommandError(
      Codes.BadValue,
      `The argument to $each in ${op} must be an array but it was of type: ${typeAlias(each)}`,
    );
  }
  if (op === '$addToSet' && Object.keys(spec).length > 1) {
    const extra = Object.keys(spec).find((k) => k !== '$each');
    throw new CommandError(Codes.BadValue, `Found unexpected fields after $each in $addToSet: ${extra}`);
  }
  return each.map((v, i) => ({ v, t: numTypeOf(each, String(i)) }));
}

function checkPushModifiers(spec: Document): void {
  for (const k of Object.keys(spec)) {
    if (!PUSH_MODIFIERS.has(k)) throw new CommandError(Codes.BadValue, `Unrecognized clause in $push: ${k}`);
  }
  if (spec.$slice !== undefined && !isInt(spec.$slice)) {
    throw new CommandError(
      Codes.BadValue,
      `The value for $slice must be an integer value but was given type: ${typeAlias(spec.$slice)}`,
    );
  }
  if (spec.$position !== undefined && !isInt(spec.$position)) {
    throw new CommandError(
      Codes.BadValue,
      `The value for $position must be an integer value, not of type: ${typeAlias(spec.$position)}`,
    );
  }
  if (spec.$sort !== undefined) sortKeys(spec.$sort);
}

const BAD_SORT = 'The $sort is invalid: use 1/-1 to sort the whole element, or {field:1/-1} to sort embedded fields';

function sortKeys(sort: unknown): [string, number][] | number {
  if (sort === 1 || sort === -1) return sort;
  if (!isPlainObject(sort) || Object.keys(sort).length === 0) throw new CommandError(Codes.BadValue, BAD_SORT);
  return Object.entries(sort).map(([k, d]) => {
    if ((d !== 1 && d !== -1) || k === '' || k.startsWith('$')) throw new CommandError(Codes.BadValue, BAD_SORT);
    return [k, d];
  });
}

function push(slots: Slot[], each: Slot[], spec: Document | null): Slot[] {
  const out = slots.slice();
  let pos = out.length;
  if (spec && isInt(spec.$position)) {
    pos = spec.$position < 0 ? Math.max(0, out.length + spec.$position) : Math.min(spec.$position, out.length);
  }
  out.splice(pos, 0, ...each);
  if (spec?.$sort !== undefined) {
    const keys = sortKeys(spec.$sort);
    out.sort((a, b) => {
      if (typeof keys === 'number') return keys * compareValues(a.v, b.v);
      for (const [k, d] of keys) {
        const c = compareValues(getPath(a.v, k) ?? null, getPath(b.v, k) ?? null);
        if (c) return d * c;
      }
      return 0;
    });
  }
  if (spec && isInt(spec.$slice)) {
    return spec.$slice < 0 ? out.slice(Math.max(0, out.length + spec.$slice)) : out.slice(0, spec.$slice);
  }
  return out;
}

function addToSet(slots: Slot[], each: Slot[]): Slot[] {
  const out = slots.slice();
  const seen = new Set(slots.map((s) => enc(s.v)));
  for (const s of each) {
    const k = enc(s.v);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(s);
  }
  return out;
}
