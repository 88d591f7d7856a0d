// MongoDB wire protocol framing for the embedded engine: splits a socket's byte stream into messages, decodes
// OP_QUERY (legacy handshake) and OP_MSG (section kinds 0 and 1, moreToCome, CRC-32C checksum) into command
// documents, and encodes OP_REPLY / OP_MSG replies. Must never execute commands or know about the store.
import { deserialize, serialize, type Document } from 'bson';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

const FLAG_CHECKSUM = 1;
const FLAG_MORE_TO_COME = 2;

export const MAX_MESSAGE_BYTES = 48_000_000;
/** A command body (OP_MSG section 0) may exceed the 16 MiB document limit by 16 KiB of command fields, no more. */
export const MAX_COMMAND_BODY_BYTES = 16 * 1024 * 1024 + 16 * 1024;

// Numbers stay Int32/Double/Long here; normalise() turns them into plain numbers and remembers their types.
const DESERIALIZE_OPTS = { promoteValues: false, validation: { utf8: false } } as const;

export interface IncomingCommand {
  requestId: number;
  opCode: number;
  /** The command document, with kind-1 document sequences merged in as arrays. */
  command: Document;
  /** Database name: `$db` for OP_MSG, the namespace prefix for OP_QUERY. */
  db: string;
  /** Client asked for no reply (OP_MSG moreToCome). */
  noReply: boolean;
  /** Bytes of the command body when it is over MongoDB's limit for it (16 MiB + 16 KiB); the command is refused. */
  oversizeBody?: number;
}

export class WireError extends Error {}

// ---- CRC-32C (Castagnoli), used only when a client sets the checksumPresent flag ----
const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    t[i] = c;
  }
  return t;
})();

export function crc32c(buf: Uint8Array): number {
  let crc = -1;
  for (let i = 0; i < buf.length; i++) crc = CRC_TABLE[(crc ^ buf[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

/** Accumulates socket chunks and yields complete messages (header included). */
export class MessageReader {
  private chunks: Buffer[] = [];
  private size = 0;

  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.size += chunk.length;
    const out: Buffer[] = [];
    while (this.size >= 4) {
      let head = this.chunks[0];
      if (head.length < 4) {
        head = Buffer.concat(this.chunks);
        this.chunks = [head];
      }
      const len = head.readInt32LE(0);
      if (len < 16 || len > MAX_MESSAGE_BYTES) throw new WireError(`invalid message length ${len}`);
      if (this.size < len) break;
      if (head.length < len) {
        head = Buffer.concat(this.chunks);
        this.chunks = [head];
      }
      out.push(head.subarray(0, len));
      const rest = head.subarray(len);
      this.chunks[0] = rest;
      if (rest.length === 0) this.chunks.shift();
      this.size -= len;
    }
    return out;
  }
}

function readCString(buf: Buffer, offset: number): [string, number] {
  const end = buf.indexOf(0, offset);
  if (end < 0) throw new WireError('unterminated cstring');
  return [buf.toString('utf8', offset, end), end + 1];
}

/** Decodes one complete message. Returns null for opcodes this engine does not serve. */
export function decodeMessage(msg: Buffer): IncomingCommand {
  const requestId = msg.readInt32LE(4);
  const opCode = msg.readInt32LE(12);
  if (opCode === OP_MSG) return decodeOpMsg(msg, requestId);
  if (opCode === OP_QUERY) return decodeOpQuery(msg, requestId);
  throw new WireError(`unsupported wire opcode ${opCode}`);
}

function decodeOpMsg(msg: Buffer, requestId: number): IncomingCommand {
  const flags = msg.readUInt32LE(16);
  let end = msg.length;
  if (flags & FLAG_CHECKSUM) {
    end -= 4;
    const expected = msg.readUInt32LE(end);
    if (crc32c(msg.subarray(0, end)) !== expected) throw new WireError('OP_MSG checksum mismatch');
  }
  // Reject unknown required flag bits (bits 0-15 other than checksum/moreToCome).
  if (flags & 0xfffc) throw new WireError(`unsupported OP_MSG flags ${flags}`);
  let offset = 20;
  let body: Document | null = null;
  let bodyBytes = 0;
  const sequences: [string, Document[]][] = [];
  while (offset < end) {
    const kind = msg[offset++];
    if (kind === 0) {
      const len = msg.readInt32LE(offset);
      body = deserialize(msg.subarray(offset, offset + len), DESERIALIZE_OPTS);
      bodyBytes = len;
      offset += len;
    } else if (kind === 1) {
      const size = msg.readInt32LE(offset);
      const secEnd = offset + size;
      const [id, p] = readCString(msg, offset + 4);
      const docs: Document[] = [];
      let q = p;
      while (q < secEnd) {
        const len = msg.readInt32LE(q);
        docs.push(deserialize(msg.subarray(q, q + len), DESERIALIZE_OPTS));
        q += len;
      }
      sequences.push([id, docs]);
      offset = secEnd;
    } else {
      throw new WireError(`unsupported OP_MSG section kind ${kind}`);
    }
  }
  if (!body) throw new WireError('OP_MSG without a body section');
  for (const [id, docs] of sequences) {
    const existing = body[id];
    body[id] = Array.isArray(existing) ? existing.concat(docs) : docs;
  }
  const db = typeof body.$db === 'string' ? body.$db : 'admin';
  const noReply = (flags & FLAG_MORE_TO_COME) !== 0;
  const oversize = bodyBytes > MAX_COMMAND_BODY_BYTES ? { oversizeBody: bodyBytes } : {};
  return { requestId, opCode: OP_MSG, command: body, db, noReply, ...oversize };
}

function decodeOpQuery(msg: Buffer, requestId: number): IncomingCommand {
  const [ns, p] = readCString(msg, 20);
  const offset = p + 8; // numberToSkip, numberToReturn
  const len = msg.readInt32LE(offset);
  let query = deserialize(msg.subarray(offset, offset + len), DESERIALIZE_OPTS);
  if (query.$query && typeof query.$query === 'object') query = query.$query as Document;
  const dot = ns.indexOf('.');
  const db = dot >= 0 ? ns.slice(0, dot) : ns;
  if (!ns.endsWith('.$cmd')) throw new WireError(`legacy OP_QUERY on ${ns} is not supported (commands only)`);
  return { requestId, opCode: OP_QUERY, command: query, db, noReply: false };
}

let nextResponseId = 1;

function header(length: number, responseTo: number, opCode: number): Buffer {
  const h = Buffer.allocUnsafe(16);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(nextResponseId++ & 0x7fffffff, 4);
  h.writeInt32LE(responseTo, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

/** Encodes a reply in the opcode family the request used. */
export function encodeReply(req: IncomingCommand, reply: Document): Buffer {
  const body = serialize(reply);
  if (req.opCode === OP_QUERY) {
    const fixed = Buffer.alloc(20); // responseFlags, cursorID (int64), startingFrom, numberReturned
    fixed.writeInt32LE(1, 16);
    return Buffer.concat([header(16 + 20 + body.length, req.requestId, OP_REPLY), fixed, body]);
  }
  const fixed = Buffer.alloc(5); // flagBits (0) + section kind 0
  return Buffer.concat([header(16 + 5 + body.length, req.requestId, OP_MSG), fixed, body]);
}
