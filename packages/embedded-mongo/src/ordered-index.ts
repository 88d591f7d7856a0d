// The ordered side of a secondary index: every indexed document's key values kept sorted in index order (each
// key's direction applied, MongoDB BSON order exactly as compareValues, ties by insertion sequence), so the
// planner can walk entries in order for sort + limit queries. A chunked sorted list of encoded key rows
// (ordered-keys.ts): a binary search over the chunks' last rows (the fences), one inside the chunk, then a
// memmove of at most MAX_CHUNK typed-array rows per insert/remove — O(log n), no per-entry objects; ids and
// original key values sit in a slot table that never moves. Documents whose key is unsure for ordering (an
// array on the path = multikey, an invalid Date) are not stored, only counted: the walk refuses to run while
// any exist. Derived state, rebuilt from the documents when needed. Must never hold document objects (ids,
// sequence numbers and key values shared with the immutable stored documents only) and never mutate documents.
import type { Document } from 'bson';
import { Columns, compareKeys, compareRow, compareRows, Key, UNSURE, valueAt } from './ordered-keys.js';

export { compareKeys } from './ordered-keys.js';

export interface Entry {
  readonly vals: unknown[];
  readonly seq: number;
  readonly id: string;
}

/** A position in the list: chunk number and row inside it. */
export interface Pos {
  c: number;
  i: number;
}

const MAX_CHUNK = 512;

export class OrderedIndex {
  readonly fields: string[];
  /** 1 or -1 per field: the index key's direction. */
  readonly dirs: number[];
  private readonly parts: string[][];
  private readonly width: number;
  private chunks: Columns[] = [];
  /** Row c = the last row of chunks[c]. */
  private fences: Columns;
  private total = 0;
  private readonly key: Key;
  /** Slot table: ids[slot], vals[slot * width + field]; free slots are reused. */
  private ids: string[] = [];
  private vals: unknown[] = [];
  private free: number[] = [];
  /** Documents left out because their key is unsure for ordering (multikey…). */
  unsure = 0;
  /** Set when a removal did not find its entry: the structure must be rebuilt before it is trusted again. */
  broken = false;

  constructor(key: Record<string, unknown>) {
    this.fields = Object.keys(key);
    this.dirs = this.fields.map((f) => (Number(key[f]) < 0 ? -1 : 1));
    this.parts = this.fields.map((f) => f.split('.'));
    this.width = this.fields.length;
    this.key = new Key(this.width);
    this.fences = new Columns(this.width, 16);
  }

  /** Key values of a document in index field order, or null when unsure for ordering. */
  valuesOf(doc: Document): unknown[] | null {
    const out = new Array<unknown>(this.parts.length);
    for (let i = 0; i < this.parts.length; i++) {
      const v = valueAt(doc, this.parts[i]);
      if (v === UNSURE) return null;
      out[i] = v;
    }
    return out;
  }

  get size(): number {
    return this.total;
  }

  /** True when every indexed document has an entry and the order can be trusted. */
  get usable(): boolean {
    return this.unsure === 0 && !this.broken;
  }

  /** Index order of two entries (sequence number last). */
  compare(a: Entry, b: Entry): number {
    for (let i = 0; i < this.dirs.length; i++) {
      const c = compareKeys(a.vals[i], b.vals[i]);
      if (c) return c * this.dirs[i];
    }
    return a.seq - b.seq;
  }

  /** Replaces the content with these documents (bulk build: encode every key once, then one sort). */
  rebuild(docs: Map<string, Document>, seqOf: (id: string) => number): void {
    this.ids = [];
    this.vals = [];
    this.free = [];
    this.unsure = 0;
    const all = new Columns(this.width, docs.size);
    for (const [id, doc] of docs) {
      const vals = this.valuesOf(doc);
      if (!vals) this.unsure++;
      else all.push(this.key.load(vals, seqOf(id), this.claim({ vals, seq: 0, id })));
    }
    const { rows, stride } = all;
    const w = this.width;
    const vals = this.vals;
    const dirs = this.dirs;
    const slot = (r: number) => rows[r * stride + stride - 1] * w;
    const order = Array.from({ length: all.n }, (_, i) => i);
    order.sort((x, y) =>
      compareRows(rows, x * stride, vals, slot(x), rows, y * stride, vals, slot(y), w, dirs, true, w),
    );
    this.chunks = [];
    for (let i = 0; i < order.length; i += MAX_CHUNK / 2) {
      const chunk = new Columns(w, MAX_CHUNK);
      for (let j = i; j < Math.min(order.length, i + MAX_CHUNK / 2); j++) chunk.pushRow(all, order[j]);
      this.chunks.push(chunk);
    }
    this.total = all.n;
    this.broken = false;
    this.rebuildFences();
  }

  add(doc: Document, id: string, seq: number): void {
    this.addValues(this.valuesOf(doc), id, seq);
  }

  remove(doc: Document, id: string, seq: number): void {
    this.removeValues(this.valuesOf(doc), id, seq);
  }

  /** Moves a document's entry from its old key to its new one (nothing to do when the keys order the same). */
  move(before: Document, after: Document, id: string, seq: number): void {
    const a = this.valuesOf(before);
    const b = this.valuesOf(after);
    if (a && b) {
      let same = true;
      for (let i = 0; i < a.length && same; i++) same = compareKeys(a[i], b[i]) === 0;
      if (same) return;
    }
    this.removeValues(a, id, seq);
    this.addValues(b, id, seq);
  }

  private addValues(vals: unknown[] | null, id: string, seq: number): void {
    if (!vals) {
      this.unsure++;
      return;
    }
    const k = this.key.load(vals, seq, this.claim({ vals, seq, id }));
    this.total++;
    if (this.chunks.length === 0) {
      const chunk = new Columns(this.width, MAX_CHUNK);
      chunk.push(k);
      this.chunks.push(chunk);
      this.rebuildFences();
      return;
    }
    let c = this.firstChunk(k, true, false);
    if (c === this.chunks.length) c--;
    const chunk = this.chunks[c];
    const pos = this.search(chunk, k, true, false);
    chunk.insert(pos, k);
    if (chunk.n === MAX_CHUNK) {
      this.chunks.splice(c + 1, 0, chunk.splitOff(MAX_CHUNK / 2));
      this.rebuildFences();
    } else if (pos === chunk.n - 1) this.refreshFence(c);
  }

  private removeValues(vals: unknown[] | null, id: string, seq: number): void {
    if (!vals) {
      if (this.unsure > 0) this.unsure--;
      else this.broken = true;
      return;
    }
    const k = this.key.load(vals, seq, -1);
    const c = this.firstChunk(k, true, false);
    const chunk = this.chunks[c];
    const pos = chunk ? this.search(chunk, k, true, false) : -1;
    if (!chunk || pos >= chunk.n || this.ids[chunk.slot(pos)] !== id) {
      this.broken = true;
      return;
    }
    this.release(chunk.slot(pos));
    chunk.removeAt(pos);
    this.total--;
    if (chunk.n === 0) {
      this.chunks.splice(c, 1);
      this.rebuildFences();
    } else if (pos === chunk.n) this.refreshFence(c);
  }

  /** First position whose entry is >= (or > when `after`) the key prefix; the end position when none. */
  bound(prefix: unknown[], after: boolean): Pos {
    const k = this.key.load(prefix, 0, -1);
    const c = this.firstChunk(k, false, after);
    if (c === this.chunks.length) return this.end();
    return { c, i: this.search(this.chunks[c], k, false, after) };
  }

  begin(): Pos {
    return { c: 0, i: 0 };
  }

  end(): Pos {
    return { c: this.chunks.length, i: 0 };
  }

  /** Entries between two positions (from inclusive, to exclusive). */
  count(from: Pos, to: Pos): number {
    if (from.c === to.c) return Math.max(0, to.i - from.i);
    if (from.c > to.c) return 0;
    let n = this.chunks[from.c].n - from.i + to.i;
    for (let c = from.c + 1; c < to.c; c++) n += this.chunks[c].n;
    return n;
  }

  /** Entries from `from` (inclusive) to `to` (exclusive), forward or backward (from the end of the range). */
  *walk(from: Pos, to: Pos, backward: boolean): Generator<Entry> {
    const chunks = this.chunks;
    if (!backward) {
      for (let c = from.c, i = from.i; c < to.c || (c === to.c && i < to.i);) {
        if (i >= chunks[c].n) {
          c++;
          i = 0;
          continue;
        }
        yield this.entryAt(chunks[c], i++);
      }
      return;
    }
    let c = to.c;
    let i = to.i - 1;
    while (c > from.c || (c === from.c && i >= from.i)) {
      if (i < 0) {
        c--;
        if (c < 0) return;
        i = chunks[c].n - 1;
        continue;
      }
      yield this.entryAt(chunks[c], i--);
    }
  }

  /** Every entry in index order (tests and consistency checks). */
  *entries(): Generator<Entry> {
    for (const chunk of this.chunks) for (let i = 0; i < chunk.n; i++) yield this.entryAt(chunk, i);
  }

  private entryAt(chunk: Columns, i: number): Entry {
    const w = this.width;
    const slot = chunk.slot(i);
    return { vals: this.vals.slice(slot * w, slot * w + w), seq: chunk.seq(i), id: this.ids[slot] };
  }

  private claim(e: Entry): number {
    const slot = this.free.length ? this.free.pop()! : this.ids.length;
    this.ids[slot] = e.id;
    for (let f = 0; f < this.width; f++) this.vals[slot * this.width + f] = e.vals[f];
    return slot;
  }

  private release(slot: number): void {
    this.ids[slot] = '';
    for (let f = 0; f < this.width; f++) this.vals[slot * this.width + f] = null;
    this.free.push(slot);
  }

  private rebuildFences(): void {
    const f = new Columns(this.width, this.chunks.length + 16);
    for (const chunk of this.chunks) f.pushRow(chunk, chunk.n - 1);
    this.fences = f;
  }

  /** Rewrites fence `c` after the last row of chunks[c] changed. */
  private refreshFence(c: number): void {
    this.fences.copyRow(this.chunks[c], this.chunks[c].n - 1, c);
  }

  /** First chunk whose last row is >= (> when `after`) the key: chunks.length when none. */
  private firstChunk(k: Key, withSeq: boolean, after: boolean): number {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const d = compareRow(this.fences, mid, k, this.dirs, withSeq, this.vals);
      if (after ? d > 0 : d >= 0) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** First row of a chunk that is >= (> when `after`) the key (chunk.n when none). */
  private search(chunk: Columns, k: Key, withSeq: boolean, after: boolean): number {
    let lo = 0;
    let hi = chunk.n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const d = compareRow(chunk, mid, k, this.dirs, withSeq, this.vals);
      if (after ? d > 0 : d >= 0) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
