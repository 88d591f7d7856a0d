// BSON value helpers for the embedded engine: canonical index keys, MongoDB ordering, deep clone, path
// expansion (multikey), Decimal128 rejection, and the value formatting used in E11000 messages.
// Pure functions only: must never touch the store, the network or anything outside this package.
import { Binary, ObjectId, type Document } from 'bson';
import { copyAnnotations } from './normalise.js';

const bsonType = (v: object): string | undefined => (v as { _bsontype?: string })._bsontype;

export const isPlainObject = (v: unknown): v is Document =>
  v !== null &&
  typeof v === 'object' &&
  (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/** Deep clone of a stored value (plain objects, arrays, Dates); immutable BSON scalars are shared. */
export function clone<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = clone(v[i]);
    copyAnnotations(v, out);
    return out as T;
  }
  if (v instanceof Date) return new Date(v.getTime()) as T;
  if (isPlainObject(v)) {
    const out: Document = {};
    for (const k of Object.keys(v)) out[k] = clone((v as Document)[k]);
    copyAnnotations(v, out);
    return out as T;
  }
  // BSON scalars (ObjectId, Binary, Long, …) are never mutated by the engine: share them.
  return v;
}

/** Canonical, type-tagged string for a value: equal values (MongoDB equality) give equal strings. */
export function enc(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return 's' + v;
    case 'number':
      return 'n' + (v === 0 ? '0' : String(v));
    case 'boolean':
      return v ? 'T' : 'F';
    case 'undefined':
      return 'z';
    case 'bigint':
      return 'n' + v.toString();
    case 'object':
      break;
    default:
      return 'u' + String(v);
  }
  if (v === null) return 'z';
  if (Array.isArray(v)) return 'A' + JSON.stringify(v.map(enc));
  if (v instanceof Date) return 'd' + v.getTime();
  if (v instanceof ObjectId) return 'o' + v.toHexString();
  if (isPlainObject(v)) {
    const parts: string[] = [];
    for (const k of Object.keys(v)) parts.push(k, enc(v[k]));
    return 'O' + JSON.stringify(parts);
  }
  if (v instanceof RegExp) return 'r' + v.source + '/' + v.flags;
  switch (bsonType(v)) {
    case 'Long':
    case 'Int32':
    case 'Double': {
      const n = Number((v as { valueOf(): unknown }).valueOf?.() ?? String(v));
      return 'n' + (n === 0 ? '0' : String(n));
    }
    case 'Binary': {
      const b = v as Binary;
      return 'x' + b.sub_type + ':' + Buffer.from(b.buffer.subarray(0, b.position)).toString('base64');
    }
    case 'Timestamp':
      return 't' + String(v);
    case 'MinKey':
      return '-';
    case 'MaxKey':
      return '+';
    case 'BSONRegExp': {
      const r = v as { pattern: string; options: string };
      return 'r' + r.pattern + '/' + r.options;
    }
    default:
      return 'X' + (bsonType(v) ?? 'obj') + ':' + String(v);
  }
}

/** MongoDB canonical type order rank. */
export function rank(v: unknown): number {
  switch (typeof v) {
    case 'undefined':
      return 1;
    case 'number':
    case 'bigint':
      return 2;
    case 'string':
      return 3;
    case 'boolean':
      return 8;
  }
  if (v === null) return 1;
  if (Array.isArray(v)) return 5;
  if (v instanceof Date) return 9;
  if (v instanceof ObjectId) return 7;
  if (v instanceof RegExp) return 11;
  if (isPlainObject(v)) return 4;
  switch (bsonType(v as object)) {
    case 'MinKey':
      return 0;
    case 'MaxKey':
      return 12;
    case 'Long':
    case 'Int32':
    case 'Double':
      return 2;
    case 'Binary':
      return 6;
    case 'Timestamp':
      return 10;
    case 'BSONRegExp':
      return 11;
    case 'BSONSymbol':
      return 3;
  }
  return 4;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v as bigint));
const cmp = <T>(a: T, b: T): number => (a < b ? -1 : a > b ? 1 : 0);

/** Total order following MongoDB's BSON comparison order. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
    case 1:
    case 12:
      return 0;
    case 2: {
      const x = num(a);
      const y = num(b);
      if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : -1;
      if (Number.isNaN(y)) return 1;
      return cmp(x, y);
    }
    case 3:
      return cmp(String(a), String(b));
    case 4: {
      const ka = Object.keys(a as object);
      const kb = Object.keys(b as object);
      for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
        const c = compareValues((a as Document)[ka[i]], (b as Document)[kb[i]]) || cmp(ka[i], kb[i]);
        if (c) return c;
      }
      return ka.length - kb.length;
    }
    case 5: {
      const xa = a as unknown[];
      const xb = b as unknown[];
      for (let i = 0; i < Math.min(xa.length, xb.length); i++) {
        const c = compareValues(xa[i], xb[i]);
        if (c) return c;
      }
      return xa.length - xb.length;
    }
    case 6: {
      const x = a as Binary;
      const y = b as Binary;
      return (
        x.position - y.position ||
        x.sub_type - y.sub_type ||
        Buffer.compare(x.buffer.subarray(0, x.position), y.buffer.subarray(0, y.position))
      );
    }
    case 7:
      return cmp((a as ObjectId).toHexString(), (b as ObjectId).toHexString());
    case 8:
      return cmp(Number(a), Number(b));
    case 9:
      return cmp((a as Date).getTime(), (b as Date).getTime());
    default:
      return cmp(String(a), String(b));
  }
}

/**
 * Every value reachable by a dotted path, expanding arrays along the way (MongoDB multikey semantics).
 * Missing values appear as `undefined`; a terminal array contributes its elements (or itself when empty).
 */
export function pathValues(doc: unknown, path: string): unknown[] {
  const out: unknown[] = [];
  collect(doc, path.split('.'), 0, out, true);
  return out;
}

function collect(v: unknown, parts: string[], i: number, out: unknown[], expand: boolean): void {
  if (i === parts.length) {
    if (expand && Array.isArray(v) && v.length > 0) for (const e of v) out.push(e);
    else out.push(v);
    return;
  }
  if (v === null || typeof v !== 'object') {
    out.push(undefined);
    return;
  }
  const part = parts[i];
  if (Array.isArray(v)) {
    if (/^\d+$/.test(part)) {
      collect(v[Number(part)], parts, i + 1, out, expand);
      return;
    }
    if (v.length === 0) {
      out.push(undefined);
      return;
    }
    for (const e of v) {
      if (isPlainObject(e))
        collect(Object.prototype.hasOwnProperty.call(e, part) ? e[part] : undefined, parts, i + 1, out, expand);
      else out.push(undefined);
    }
    return;
  }
  if (!isPlainObject(v)) {
    out.push(undefined);
    return;
  }
  collect(Object.prototype.hasOwnProperty.call(v, part) ? v[part] : undefined, parts, i + 1, out, expand);
}

/** The single value at a dotted path (no array expansion), or undefined. */
export function getPath(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (Array.isArray(cur)) {
      if (!/^\d+$/.test(part)) return undefined;
      cur = cur[Number(part)];
    } else if (isPlainObject(cur)) {
      cur = Object.prototype.hasOwnProperty.call(cur, part) ? cur[part] : undefined;
    } else return undefined;
  }
  return cur;
}

/** Sets a dotted path, creating intermediate plain objects (used to build upsert documents). */
export function setPath(doc: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur: Document = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = cur[parts[i]];
    if (next === null || typeof next !== 'object') cur[parts[i]] = {};
    cur = cur[parts[i]] as Document;
  }
  cur[parts[parts.length - 1]] = value;
}

/** MongoDB shell-like rendering used in E11000 messages: `{ email: "a@b.c" }`. */
export function formatValue(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof ObjectId) return `ObjectId('${v.toHexString()}')`;
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (Array.isArray(v)) return '[ ' + v.map(formatValue).join(', ') + ' ]';
  if (isPlainObject(v)) {
    const keys = Object.keys(v);
    return keys.length ? '{ ' + keys.map((k) => `${k}: ${formatValue(v[k])}`).join(', ') + ' }' : '{}';
  }
  return String(v);
}

/** MongoDB $type alias of a value ("missing" for undefined). */
export function typeAlias(v: unknown): string {
  switch (typeof v) {
    case 'undefined':
      return 'missing';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(v) ? (v >= -2147483648 && v <= 2147483647 ? 'int' : 'long') : 'double';
    case 'bigint':
      return 'long';
  }
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Date) return 'date';
  if (v instanceof ObjectId) return 'objectId';
  if (v instanceof RegExp) return 'regex';
  if (isPlainObject(v)) return 'object';
  switch (bsonType(v as object)) {
    case 'Binary':
      return 'binData';
    case 'Long':
      return 'long';
    case 'Int32':
      return 'int';
    case 'Double':
      return 'double';
    case 'Timestamp':
      return 'timestamp';
    case 'MinKey':
      return 'minKey';
    case 'MaxKey':
      return 'maxKey';
    case 'BSONRegExp':
      return 'regex';
    case 'Decimal128':
      return 'decimal';
    case 'Code':
      return 'javascript';
    case 'BSONSymbol':
      return 'symbol';
  }
  return 'object';
}

/** Strict, key-order-sensitive equality of two BSON values (what "the document did not change" means). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') {
    return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    for (let i = 0; i < ka.length; i++) {
      if (ka[i] !== kb[i] || !deepEqual(a[ka[i]], b[kb[i]])) return false;
    }
    return true;
  }
  if (isPlainObject(b)) return false;
  return Object.getPrototypeOf(a) === Object.getPrototypeOf(b) && enc(a) === enc(b);
}
