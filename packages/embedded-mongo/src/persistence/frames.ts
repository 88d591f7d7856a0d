// On-disk framing shared by the journal and the snapshot: a file is a sequence of frames, each
// [u32le payload length][u32le crc32 of payload][payload], where the payload is one or more BSON documents back to
// back (each BSON document carries its own int32 length prefix). The journal writes ONE frame per group-commit batch,
// so a torn write can only ever damage the last frame, and damage followed by any intact frame is real corruption.
// Pure functions over Buffers: must never touch the file system or the clock.
import { crc32 } from 'node:zlib';
import { serialize, deserialize, type Document, type DeserializeOptions } from 'bson';

export const FRAME_HEADER_BYTES = 8;

/**
 * How stored documents come back: exact BSON types, as the engine's wire layer reads them (Int32/Double/Long
 * wrappers, Binary stays Binary). records.ts turns everything but `put` documents back into plain numbers.
 */
export const DEFAULT_DESERIALIZE_OPTIONS: DeserializeOptions = {
  promoteLongs: false,
  promoteValues: false,
  promoteBuffers: false,
  bsonRegExp: false,
};

/** Serializes one document now (so later in-place changes by the caller cannot leak into what is written). */
export function serializeDoc(doc: Document): Uint8Array {
  return serialize(doc, { checkKeys: false });
}

/** Wraps already-serialized BSON documents into one frame. Throws on an empty list (it would look like zeroed disk). */
export function encodeFrame(parts: readonly Uint8Array[]): Buffer {
  if (parts.length === 0) throw new Error('encodeFrame: a frame needs at least one document');
  let total = 0;
  for (const p of parts) total += p.length;
  const out = Buffer.allocUnsafe(FRAME_HEADER_BYTES + total);
  let off = FRAME_HEADER_BYTES;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  out.writeUInt32LE(total, 0);
  out.writeUInt32LE(crc32(out.subarray(FRAME_HEADER_BYTES)) >>> 0, 4);
  return out;
}

export type FrameResult = { ok: true; docs: Document[]; next: number } | { ok: false; reason: string };

/** Decodes the frame starting at `off`. Never throws: a damaged frame is reported with a reason. */
export function decodeFrame(
  buf: Buffer,
  off: number,
  opts: DeserializeOptions = DEFAULT_DESERIALIZE_OPTIONS,
): FrameResult {
  const check = checkFrame(buf, off);
  if (!check.ok) return check;
  const docs: Document[] = [];
  const payload = buf.subarray(off + FRAME_HEADER_BYTES, check.next);
  let p = 0;
  while (p < payload.length) {
    const docLen = payload.length - p >= 5 ? payload.readInt32LE(p) : -1;
    if (docLen < 5 || p + docLen > payload.length) return { ok: false, reason: `bad BSON document length ${docLen}` };
    try {
      docs.push(deserialize(payload.subarray(p, p + docLen), opts));
    } catch (err) {
      return { ok: false, reason: `BSON parse failure: ${(err as Error).message}` };
    }
    p += docLen;
  }
  return { ok: true, docs, next: check.next };
}

/** Length and checksum check only (no BSON parsing). */
function checkFrame(buf: Buffer, off: number): { ok: true; next: number } | { ok: false; reason: string } {
  const left = buf.length - off;
  if (left < FRAME_HEADER_BYTES)
    return { ok: false, reason: `truncated frame header (${left} of ${FRAME_HEADER_BYTES} bytes)` };
  const len = buf.readUInt32LE(off);
  if (len < 5) return { ok: false, reason: `impossible frame length ${len}` };
  const start = off + FRAME_HEADER_BYTES;
  if (start + len > buf.length)
    return { ok: false, reason: `truncated frame body (${buf.length - start} of ${len} bytes)` };
  if (crc32(buf.subarray(start, start + len)) >>> 0 !== buf.readUInt32LE(off + 4)) {
    return { ok: false, reason: 'checksum mismatch' };
  }
  return { ok: true, next: start + len };
}

/**
 * True when an intact frame starts anywhere after `from` (so damage at `from` is in the middle, not a torn tail).
 * Only positions whose first payload document has a plausible BSON length are checksummed, which keeps it cheap.
 */
export function hasIntactFrameAfter(buf: Buffer, from: number): boolean {
  for (let p = from + 1; p + FRAME_HEADER_BYTES + 5 <= buf.length; p++) {
    const len = buf.readUInt32LE(p);
    if (len < 5 || p + FRAME_HEADER_BYTES + len > buf.length) continue;
    const first = buf.readInt32LE(p + FRAME_HEADER_BYTES);
    if (first < 5 || first > len) continue;
    if (checkFrame(buf, p).ok) return true;
  }
  return false;
}

export interface ScanResult {
  /** Documents of every intact frame, frame by frame. */
  frames: Document[][];
  /** Offset just past the last intact frame. */
  goodBytes: number;
  /** Set when the data ends with a damaged frame that nothing intact follows (a torn tail). */
  tornTail?: { offset: number; reason: string; bytes: number };
}

/**
 * Reads every frame of a file image. A damaged LAST frame is reported as a torn tail; damage followed by an intact
 * frame (corruption in the middle) throws, naming the file and offset.
 */
export function scanFrames(buf: Buffer, label: string, opts?: DeserializeOptions): ScanResult {
  const frames: Document[][] = [];
  let off = 0;
  while (off < buf.length) {
    const r = decodeFrame(buf, off, opts);
    if (!r.ok) {
      if (!hasIntactFrameAfter(buf, off)) {
        return { frames, goodBytes: off, tornTail: { offset: off, reason: r.reason, bytes: buf.length - off } };
      }
      throw new Error(
        `${label} is corrupt at byte ${off} (frame ${frames.length}): ${r.reason}, and intact data follows; ` +
          'refusing to start so nothing is silently lost. Restore the folder from a backup or move the damaged file aside.',
      );
    }
    frames.push(r.docs);
    off = r.next;
  }
  return { frames, goodBytes: off };
}

/**
 * What a damaged last frame at `off` still shows: the records readable from its start (their types and
 * namespaces) and whether bytes beyond them could not be read. Best effort, never throws.
 */
export function describeTornFrame(buf: Buffer, off: number): string {
  const body = buf.subarray(Math.min(buf.length, off + FRAME_HEADER_BYTES));
  const types = new Map<string, number>();
  const namespaces = new Set<string>();
  let p = 0;
  let records = 0;
  while (p + 5 <= body.length) {
    const len = body.readInt32LE(p);
    if (len < 5 || p + len > body.length) break;
    try {
      const d = deserialize(body.subarray(p, p + len));
      types.set(String(d.t), (types.get(String(d.t)) ?? 0) + 1);
      if (typeof d.db === 'string') namespaces.add(typeof d.coll === 'string' ? `${d.db}.${d.coll}` : d.db);
      records++;
    } catch {
      break;
    }
    p += len;
  }
  const what = [...types].map(([t, n]) => `${n} ${t}`).join(', ');
  const where = namespaces.size ? ` in ${[...namespaces].join(', ')}` : '';
  const rest = p < body.length ? `${records ? ' plus' : ''} ${body.length - p} unreadable bytes` : '';
  return `${records} readable record(s)${records ? ` (${what})${where}` : ''}${rest}`;
}
