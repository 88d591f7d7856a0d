// Inbound/outbound value normalisation of the embedded engine. Commands arrive with BSON numeric wrappers
// (Int32/Double/Long, promoteValues:false); the engine works on plain JS numbers (what mingo understands) and
// remembers, per container and key, the numbers that must go back out as double (integral doubles like 1.0) or
// int64 (Longs), so types round-trip. Plain Binary values become SafeBinary (exact string form for mingo), DBRefs
// the plain {$ref, $id, $db} documents they are on the wire;
// Decimal128 is refused. Must never change a value's meaning, only its in-memory representation.
import { Binary, Double, Long, type DBRef, type Document } from 'bson';
import { CommandError, Codes } from './errors.js';

export type NumType = 'double' | 'long';

/** container (plain object or array) → key → the BSON type its plain number stands for. */
const numTypes = new WeakMap<object, Map<string, NumType>>();
/** Containers holding, somewhere inside, an annotated number (only those need re-wrapping on the way out). */
const typed = new WeakSet<object>();

const isPlainObject = (v: unknown): v is Document =>
  v !== null &&
  typeof v === 'object' &&
  (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

const bsonType = (v: object): string | undefined => (v as { _bsontype?: string })._bsontype;

/**
 * Binary whose default string form is exact (bson's is a lossy UTF-8 decoding, and mingo compares non-plain
 * objects by their string form, so two different byte strings could compare equal).
 */
export class SafeBinary extends Binary {
  override toString(encoding?: 'hex' | 'base64' | 'utf8' | 'utf-8'): string {
    if (encoding) return super.toString(encoding);
    return `Binary(${this.sub_type}:${super.toString('base64')})`;
  }
}

export function numTypeOf(container: object, key: string): NumType | undefined {
  return numTypes.get(container)?.get(key);
}

export function setNumType(container: object, key: string, t: NumType | undefined): void {
  let m = numTypes.get(container);
  if (!t) {
    m?.delete(key);
    return;
  }
  if (!m) numTypes.set(container, (m = new Map()));
  m.set(key, t);
}

/** Marks a document as (possibly) holding annotated numbers. */
export function markTyped(doc: object): void {
  typed.add(doc);
}

export function isTyped(v: unknown): boolean {
  return v !== null && typeof v === 'object' && typed.has(v);
}

/** Copies the annotations and typed flag of `src` onto its clone `dst`. */
export function copyAnnotations(src: object, dst: object): void {
  const m = numTypes.get(src);
  if (m) numTypes.set(dst, new Map(m));
  if (typed.has(src)) typed.add(dst);
}

/** Copies `src[key]` into `dst[dstKey]` with its number annotation. */
export function copyEntry(dst: Document, dstKey: string, src: Document, key: string): void {
  dst[dstKey] = src[key];
  const t = numTypeOf(src, key);
  if (t) {
    setNumType(dst, dstKey, t);
    typed.add(dst);
  }
}

function convert(container: Document | unknown[], key: string | number, v: object, depth: number): unknown {
  switch (bsonType(v)) {
    case 'Int32':
      return (v as { value: number }).value;
    case 'Double': {
      const n = (v as Double).value;
      if (Number.isInteger(n)) setNumType(container, String(key), 'double');
      return n;
    }
    case 'Long': {
      const l = v as Long;
      if (
        l.greaterThan(Long.fromNumber(Number.MAX_SAFE_INTEGER)) ||
        l.lessThan(Long.fromNumber(Number.MIN_SAFE_INTEGER))
      ) {
        return v;
      }
      setNumType(container, String(key), 'long');
      return l.toNumber();
    }
    case 'Binary':
      return v.constructor === Binary
        ? new SafeBinary(Buffer.from((v as Binary).buffer.subarray(0, (v as Binary).position)), (v as Binary).sub_type)
        : v;
    case 'Decimal128':
      throw new CommandError(Codes.BadValue, 'Decimal128 values are not supported by the embedded database engine');
    case 'DBRef': {
      // Kept as the plain {$ref, $id[, $db], …} document it is on the wire, so queries reach its fields.
      const r = v as DBRef;
      const out: Document = { $ref: r.collection, $id: r.oid };
      if (r.db !== undefined && r.db !== '') out.$db = r.db;
      Object.assign(out, r.fields);
      normalise(out, depth + 1);
      return out;
    }
  }
  if (Array.isArray(v) || isPlainObject(v)) normalise(v, depth + 1);
  return v;
}

/**
 * Normalises a command or document in place (see file header). Returns true when it holds annotated numbers
 * (the container is then flagged as typed, and so is every container on the way to them).
 */
export function normalise(v: unknown, depth = 0): boolean {
  if (v === null || typeof v !== 'object' || depth > 200) return false;
  let any = false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const e = v[i];
      if (e !== null && typeof e === 'object') v[i] = convert(v, i, e, depth);
    }
  } else if (isPlainObject(v)) {
    for (const k in v) {
      const e = v[k];
      if (e !== null && typeof e === 'object') v[k] = convert(v, k, e, depth);
    }
  } else {
    return false;
  }
  if (numTypes.get(v)?.size) any = true;
  if (!any) {
    // a child container may be typed
    const children = Array.isArray(v) ? v : Object.values(v);
    for (const c of children) if (c !== null && typeof c === 'object' && typed.has(c)) any = true;
  }
  if (any) typed.add(v);
  return any;
}

/** The outbound form of a stored value: annotated numbers wrapped back into Double/Long (copies only if needed). */
export function wrapTyped<T>(v: T): T {
  if (v === null || typeof v !== 'object' || !typed.has(v)) return v;
  return wrapAll(v);
}

function wrapAll<T>(v: T): T {
  if (!Array.isArray(v) && !isPlainObject(v)) return v;
  const m = numTypes.get(v as object);
  const wrap = (key: string, e: unknown): unknown => {
    const t = m?.get(key);
    if (typeof e === 'number' && t)
      return t === 'double' ? new Double(e) : Number.isInteger(e) ? Long.fromNumber(e) : e;
    return e !== null && typeof e === 'object' ? wrapAll(e) : e;
  };
  if (Array.isArray(v)) return v.map((e, i) => wrap(String(i), e)) as T;
  const out: Document = {};
  for (const k of Object.keys(v as Document)) out[k] = wrap(k, (v as Document)[k]);
  return out as T;
}
