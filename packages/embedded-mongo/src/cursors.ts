// Server-side cursors of the embedded engine: results are materialised at creation (a snapshot of immutable
// document references), handed out in batches (first batch 101 by default, 16 MiB cap), continued by getMore,
// killed by killCursors or after 10 idle minutes. Ids are BSON Int64 (Long), 0 once exhausted.
// Must never re-run queries or touch the store.
import { calculateObjectSize, Long, type Document } from 'bson';
import { CommandError, Codes } from './errors.js';
import { wrapTyped } from './normalise.js';

export const DEFAULT_FIRST_BATCH = 101;
const MAX_BATCH_BYTES = 16 * 1024 * 1024 - 64 * 1024;
export const CURSOR_IDLE_MS = 10 * 60 * 1000;

interface OpenCursor {
  id: Long;
  ns: string;
  docs: Document[];
  pos: number;
  lastUsed: number;
  /** Session the cursor belongs to (lsid key) so endSessions can drop it. */
  lsid: string | null;
}

export class CursorManager {
  private readonly open = new Map<string, OpenCursor>();
  private counter = BigInt(Math.floor(Math.random() * 1_000_000_000)) * 1000n;

  /** Builds the `cursor` reply field for a fresh result set, keeping the rest open when needed. */
  create(
    ns: string,
    docs: Document[],
    batchSize: number | undefined,
    singleBatch: boolean,
    lsid: string | null,
  ): Document {
    const size = batchSize === undefined || batchSize <= 0 ? DEFAULT_FIRST_BATCH : batchSize;
    const first = takeBatch(docs, 0, batchSize === 0 ? 0 : size);
    const exhausted = singleBatch || first.length >= docs.length;
    let id = Long.ZERO;
    if (!exhausted) {
      this.counter += 1n;
      id = Long.fromBigInt(this.counter);
      this.open.set(id.toString(), { id, ns, docs, pos: first.length, lastUsed: Date.now(), lsid });
    }
    return { firstBatch: first.map(wrapTyped), id, ns };
  }

  getMore(idValue: unknown, ns: string, batchSize: number | undefined): Document {
    const key = String(idValue);
    const c = this.open.get(key);
    if (!c) throw new CommandError(Codes.CursorNotFound, `cursor id ${key} not found`);
    if (c.ns !== ns)
      throw new CommandError(
        Codes.Unauthorized,
        `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${c.ns}`,
      );
    const batch = takeBatch(c.docs, c.pos, batchSize && batchSize > 0 ? batchSize : Infinity);
    c.pos += batch.length;
    c.lastUsed = Date.now();
    let id = c.id;
    if (c.pos >= c.docs.length) {
      this.open.delete(key);
      id = Long.ZERO;
    }
    return { nextBatch: batch.map(wrapTyped), id, ns };
  }

  kill(ids: unknown[]): Document {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const raw of ids) {
      const key = String(raw);
      const long = Long.isLong(raw) ? raw : Long.fromString(key);
      if (this.open.delete(key)) killed.push(long);
      else notFound.push(long);
    }
    return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [] };
  }

  killSession(lsid: string): void {
    for (const [k, c] of this.open) if (c.lsid === lsid) this.open.delete(k);
  }

  dropNamespace(prefix: string): void {
    for (const [k, c] of this.open) if (c.ns === prefix || c.ns.startsWith(prefix + '.')) this.open.delete(k);
  }

  sweep(now = Date.now()): void {
    for (const [k, c] of this.open) if (now - c.lastUsed > CURSOR_IDLE_MS) this.open.delete(k);
  }

  get size(): number {
    return this.open.size;
  }

  clear(): void {
    this.open.clear();
  }
}

/** Takes up to `n` docs from `pos`, never exceeding ~16 MiB (but always at least one document). */
function takeBatch(docs: Document[], pos: number, n: number): Document[] {
  const end = Math.min(docs.length, pos + n);
  if (end - pos <= 1) return docs.slice(pos, end);
  let bytes = 0;
  for (let i = pos; i < end; i++) {
    bytes += calculateObjectSize(docs[i]);
    if (bytes > MAX_BATCH_BYTES && i > pos) return docs.slice(pos, i);
  }
  return docs.slice(pos, end);
}
