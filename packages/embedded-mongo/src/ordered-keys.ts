// Key encoding for the ordered index side: a value's sort key is its BSON type rank plus two numbers (hi, lo)
// that order values of the same rank exactly like compareValues (monotone; equal numbers fall back to
// compareValues unless both values are "exact", i.e. fully determined by the numbers). Keys live in columns of
// typed arrays (one row per index entry) so a binary search reads contiguous memory instead of chasing pointers
// to values scattered over the heap. Must never disagree with compareValues (values.ts) on any pair of values,
// and never hold documents (only key values shared with the immutable stored documents).
import { ObjectId, type Document } from 'bson';
import { compareValues, isPlainObject, rank } from './values.js';

export const UNSURE = Symbol('unsure');

/** The sort value at a path when it is one plain value (missing = null), UNSURE when an array is on the path. */
export function valueAt(doc: Document, parts: string[]): unknown {
  let cur: unknown = doc;
  for (const part of parts) {
    if (Array.isArray(cur)) return UNSURE;
    if (cur === null || typeof cur !== 'object' || !isPlainObject(cur)) return null;
    cur = Object.prototype.hasOwnProperty.call(cur, part) ? (cur as Document)[part] : undefined;
  }
  if (Array.isArray(cur)) return UNSURE;
  if (cur instanceof Date && Number.isNaN(cur.getTime())) return UNSURE;
  return cur === undefined ? null : cur;
}

type Words = { i0?: number; i1: number; i2: number; i3: number };
const TWO24 = 2 ** 24;
const TWO17 = 2 ** 17;

/** An ObjectId's 96 bits as two exact 48-bit numbers, in hex (= byte) order. */
function oidHalves(v: ObjectId): [number, number] {
  const w = v as unknown as Words;
  if (typeof w.i0 === 'number') return [w.i0 * TWO24 + w.i1, w.i2 * TWO24 + w.i3];
  const hex = v.toHexString();
  return [parseInt(hex.slice(0, 12), 16), parseInt(hex.slice(12), 16)];
}

/** Three UTF-16 code units from `start` as one number (end of string = 0, below every code unit). */
function pack(s: string, start: number): number {
  let n = 0;
  for (let k = start; k < start + 3; k++) n = n * TWO17 + (k < s.length ? s.charCodeAt(k) + 1 : 0);
  return n;
}

/**
 * compareValues with allocation-free fast paths for Dates, numbers, strings, null and ObjectIds (their four
 * big-endian 24-bit words, which is their hex order). Same result, always.
 */
export function compareKeys(a: unknown, b: unknown): number {
  if (a instanceof Date) {
    if (b instanceof Date) {
      const x = a.getTime();
      const y = b.getTime();
      if (x === x && y === y) return x < y ? -1 : x > y ? 1 : 0;
    }
  } else if (typeof a === 'number') {
    if (typeof b === 'number' && a === a && b === b) return a < b ? -1 : a > b ? 1 : 0;
  } else if (a === null) {
    if (b === null) return 0;
  } else if (typeof a === 'string') {
    if (typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  } else if (a instanceof ObjectId && b instanceof ObjectId) {
    const x = a as unknown as Words;
    const y = b as unknown as Words;
    if (typeof x.i0 === 'number' && typeof y.i0 === 'number') {
      const d = x.i0 - y.i0 || x.i1 - y.i1 || x.i2 - y.i2 || x.i3 - y.i3;
      return d < 0 ? -1 : d > 0 ? 1 : 0;
    }
  }
  return compareValues(a, b);
}

/**
 * Rows of encoded keys in one Float64Array, `stride` numbers per row: per field (rank * 2 + exact, hi, lo),
 * then the insertion sequence and the entry's slot in the owner's slot table (id and original values). A
 * binary-search step reads one row (one or two cache lines) and shifting rows is a plain memmove.
 */
export class Columns {
  n = 0;
  readonly stride: number;
  readonly rows: Float64Array;

  constructor(
    readonly width: number,
    readonly cap: number,
  ) {
    this.stride = width * 3 + 2;
    this.rows = new Float64Array(cap * this.stride);
  }

  seq(pos: number): number {
    return this.rows[pos * this.stride + this.stride - 2];
  }

  slot(pos: number): number {
    return this.rows[pos * this.stride + this.stride - 1];
  }

  /** Inserts a key row at `pos`, shifting the following rows. */
  insert(pos: number, k: Key): void {
    const s = this.stride;
    this.rows.copyWithin((pos + 1) * s, pos * s, this.n * s);
    this.rows.set(k.row, pos * s);
    this.n++;
  }

  removeAt(pos: number): void {
    const s = this.stride;
    this.rows.copyWithin(pos * s, (pos + 1) * s, this.n * s);
    this.n--;
  }

  /** Overwrites row `to` with row `pos` of another set of columns (same width). */
  copyRow(src: Columns, pos: number, to: number): void {
    const s = this.stride;
    for (let i = 0; i < s; i++) this.rows[to * s + i] = src.rows[pos * s + i];
  }

  /** Appends row `pos` of another set of columns (same width). */
  pushRow(src: Columns, pos: number): void {
    this.copyRow(src, pos, this.n++);
  }

  /** Appends a key row. */
  push(k: Key): void {
    this.rows.set(k.row, this.n++ * this.stride);
  }

  /** Moves rows [from, n) into new columns. */
  splitOff(from: number): Columns {
    const out = new Columns(this.width, this.cap);
    out.rows.set(this.rows.subarray(from * this.stride, this.n * this.stride));
    out.n = this.n - from;
    this.n = from;
    return out;
  }
}

/** A reusable encoded key (an entry to insert, or a search probe over the first `len` fields). */
export class Key {
  len = 0;
  vals: unknown[] = [];
  /** One row in the Columns layout. */
  readonly row: Float64Array;

  constructor(readonly width: number) {
    this.row = new Float64Array(width * 3 + 2);
  }

  load(vals: unknown[], seq: number, slot: number): this {
    this.vals = vals;
    this.len = vals.length;
    this.row[this.width * 3] = seq;
    this.row[this.width * 3 + 1] = slot;
    for (let f = 0; f < vals.length; f++) this.encode(f, vals[f]);
    return this;
  }

  private encode(f: number, v: unknown): void {
    const r = rank(v);
    let hi = 0;
    let lo = 0;
    let exact = 1;
    switch (r) {
      case 0:
      case 1:
      case 12:
        break;
      case 2: {
        const x = typeof v === 'number' ? v : Number(v as bigint);
        if (x !== x) {
          hi = -Infinity; // NaN sorts below every number, -Infinity included
          lo = -1;
        } else hi = x;
        break;
      }
      case 3: {
        const s = String(v);
        hi = pack(s, 0);
        lo = pack(s, 3);
        exact = s.length <= 6 ? 1 : 0;
        break;
      }
      case 7:
        [hi, lo] = oidHalves(v as ObjectId);
        break;
      case 8:
        hi = Number(v);
        break;
      case 9: {
        const t = (v as Date).getTime();
        if (t === t) hi = t;
        else exact = 0;
        break;
      }
      default:
        exact = 0;
    }
    this.row[f * 3] = r * 2 + exact;
    this.row[f * 3 + 1] = hi;
    this.row[f * 3 + 2] = lo;
  }
}

/**
 * Order of row `pos` against a key over its first `k.len` fields, each field's direction applied; then by
 * insertion sequence when `withSeq`. Same sign as comparing the values with compareValues. `vals` is the slot
 * table's values (slot * width + field).
 */
export function compareRow(c: Columns, pos: number, k: Key, dirs: number[], withSeq: boolean, vals: unknown[]): number {
  const at = pos * c.stride;
  const slot = c.rows[at + c.stride - 1];
  return compareRows(c.rows, at, vals, slot * c.width, k.row, 0, k.vals, 0, k.len, dirs, withSeq, c.width);
}

/** Order of two encoded rows (array, offset) whose original values are at (values, base + field). */
export function compareRows(
  ra: Float64Array,
  oa: number,
  va: unknown[],
  ba: number,
  rb: Float64Array,
  ob: number,
  vb: unknown[],
  bb: number,
  len: number,
  dirs: number[],
  withSeq: boolean,
  width: number,
): number {
  for (let f = 0; f < len; f++) {
    const i = oa + f * 3;
    const j = ob + f * 3;
    const a = ra[i];
    const b = rb[j];
    let d = (a >> 1) - (b >> 1);
    if (d === 0) {
      const x = ra[i + 1];
      const y = rb[j + 1];
      if (x < y) d = -1;
      else if (x > y) d = 1;
      else {
        const u = ra[i + 2];
        const v = rb[j + 2];
        if (u < v) d = -1;
        else if (u > v) d = 1;
        else if (!(a & 1) || !(b & 1)) d = compareValues(va[ba + f], vb[bb + f]);
      }
    }
    if (d !== 0) return d < 0 ? -dirs[f] : dirs[f];
  }
  return withSeq ? ra[oa + width * 3] - rb[ob + width * 3] : 0;
}
