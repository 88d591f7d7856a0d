// Wire-level tests of the embedded engine: legacy OP_QUERY handshake, OP_MSG kind-0/kind-1 sections, CRC-32C
// checksums, moreToCome (w:0), unknown commands (code 59) and the hello shape drivers rely on.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';
import { deserialize, serialize, type Document } from 'bson';
import { MongoClient } from 'mongodb';
import { startEmbeddedServer, type EmbeddedServer } from '../src/index.js';
import { crc32c } from '../src/wire.js';

let server: EmbeddedServer;

before(async () => {
  server = await startEmbeddedServer();
});
after(async () => {
  await server.close();
});

let reqId = 1;

function header(len: number, opCode: number): Buffer {
  const h = Buffer.alloc(16);
  h.writeInt32LE(len, 0);
  h.writeInt32LE(reqId++, 4);
  h.writeInt32LE(0, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

function opQuery(ns: string, query: Document): Buffer {
  const body = Buffer.concat([
    Buffer.alloc(4),
    Buffer.from(ns + '\0'),
    Buffer.from([0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]),
    Buffer.from(serialize(query)),
  ]);
  return Buffer.concat([header(16 + body.length, 2004), body]);
}

function opMsg(body: Document, seqs: [string, Document[]][] = [], flags = 0): Buffer {
  const parts: Buffer[] = [Buffer.from([0]), Buffer.from(serialize(body))];
  for (const [id, docs] of seqs) {
    const payload = Buffer.concat([Buffer.from(id + '\0'), ...docs.map((d) => Buffer.from(serialize(d)))]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(4 + payload.length);
    parts.push(Buffer.from([1]), size, payload);
  }
  const f = Buffer.alloc(4);
  f.writeUInt32LE(flags);
  let rest = Buffer.concat([f, ...parts]);
  const withChecksum = (flags & 1) !== 0;
  const total = 16 + rest.length + (withChecksum ? 4 : 0);
  const msg = Buffer.concat([header(total, 2013), rest]);
  if (!withChecksum) return msg;
  const crc = Buffer.alloc(4);
  crc.writeUInt32LE(crc32c(msg));
  rest = Buffer.concat([msg, crc]);
  return rest;
}

/** Sends raw messages on one socket and collects `expected` replies. */
async function exchange(messages: Buffer[], expected: number): Promise<{ opCode: number; doc: Document }[]> {
  const sock = net.connect(server.socketPath);
  await new Promise<void>((r) => sock.once('connect', () => r()));
  const replies: { opCode: number; doc: Document }[] = [];
  let buf = Buffer.alloc(0);
  const done = new Promise<void>((resolve, reject) => {
    const timer =
      expected > 0
        ? setTimeout(() => reject(new Error(`timed out with ${replies.length}/${expected} replies`)), 3000)
        : undefined;
    sock.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 4 && buf.length >= buf.readInt32LE(0)) {
        const len = buf.readInt32LE(0);
        const msg = buf.subarray(0, len);
        buf = buf.subarray(len);
        const opCode = msg.readInt32LE(12);
        const docStart = opCode === 1 ? 36 : 21;
        replies.push({ opCode, doc: deserialize(msg.subarray(docStart)) });
        if (replies.length === expected) {
          clearTimeout(timer);
          resolve();
        }
      }
    });
  });
  for (const m of messages) sock.write(m);
  if (expected > 0) await done;
  else await new Promise((r) => setTimeout(r, 200));
  sock.destroy();
  return replies;
}

test('legacy OP_QUERY isMaster handshake gets an OP_REPLY describing a replica-set primary', async () => {
  const [r] = await exchange([opQuery('admin.$cmd', { isMaster: 1, helloOk: true })], 1);
  assert.equal(r.opCode, 1);
  assert.equal(r.doc.ok, 1);
  assert.equal(r.doc.ismaster, true);
  assert.equal(r.doc.isWritablePrimary, true);
  assert.equal(r.doc.helloOk, true);
  assert.equal(typeof r.doc.setName, 'string');
  assert.deepEqual(r.doc.hosts, [server.socketPath]);
  assert.equal(r.doc.me, server.socketPath);
  assert.equal(r.doc.primary, server.socketPath);
  assert.ok(r.doc.maxWireVersion >= 17);
  assert.ok(r.doc.logicalSessionTimeoutMinutes > 0);
  assert.equal('topologyVersion' in r.doc, false, 'must not advertise topologyVersion (streaming hello)');
});

test('OP_MSG hello, kind-1 document sequences and CRC-32C checksums', async () => {
  const replies = await exchange(
    [
      opMsg({ hello: 1, $db: 'admin' }),
      opMsg({ insert: 'seq', $db: 'w' }, [
        [
          'documents',
          [
            { _id: 1, a: 'x' },
            { _id: 2, a: 'y' },
          ],
        ],
      ]),
      opMsg({ find: 'seq', filter: {}, $db: 'w' }, [], 1),
      opMsg({ count: 'seq', $db: 'w' }),
    ],
    4,
  );
  assert.equal(replies[0].opCode, 2013);
  assert.equal(replies[0].doc.isWritablePrimary, true);
  assert.equal('topologyVersion' in replies[0].doc, false);
  assert.equal(replies[1].doc.n, 2);
  assert.deepEqual(replies[2].doc.cursor.firstBatch, [
    { _id: 1, a: 'x' },
    { _id: 2, a: 'y' },
  ]);
  assert.equal(replies[3].doc.n, 2);
});

test('a corrupted checksum closes the connection instead of executing the command', async () => {
  const msg = opMsg({ insert: 'bad', documents: [{ _id: 1 }], $db: 'w' }, [], 1);
  msg[msg.length - 1] ^= 0xff;
  const replies = await exchange([msg], 0);
  assert.equal(replies.length, 0);
  const [r] = await exchange([opMsg({ count: 'bad', $db: 'w' })], 1);
  assert.equal(r.doc.n, 0);
});

test('moreToCome gets no reply but is executed, in order', async () => {
  const replies = await exchange(
    [opMsg({ insert: 'quiet', documents: [{ _id: 1 }], $db: 'w' }, [], 2), opMsg({ count: 'quiet', $db: 'w' })],
    1,
  );
  assert.equal(replies.length, 1);
  assert.equal(replies[0].doc.n, 1);
});

test('driver: unacknowledged insertOne (w:0) uses moreToCome and still lands', async () => {
  const client = await MongoClient.connect(server.uri);
  try {
    const coll = client.db('w').collection('w0');
    const res = await coll.insertOne({ fire: 'forget' }, { writeConcern: { w: 0 } });
    assert.equal(res.acknowledged, false);
    assert.equal(await coll.countDocuments({ fire: 'forget' }), 1);
  } finally {
    await client.close();
  }
});

test('unknown commands answer CommandNotFound (59); ping/buildInfo work', async () => {
  const client = await MongoClient.connect(server.uri);
  try {
    const db = client.db('w');
    await assert.rejects(db.command({ frobnicate: 1 }), (e: Error & { code?: number; codeName?: string }) => {
      assert.equal(e.code, 59);
      assert.equal(e.codeName, 'CommandNotFound');
      return true;
    });
    assert.equal((await db.command({ ping: 1 })).ok, 1);
    const info = await db.admin().buildInfo();
    assert.match(String(info.version), /^\d+\.\d+/);
    const status = await db.admin().command({ serverStatus: 1 });
    assert.equal(status.ok, 1);
    assert.equal((await db.command({ whatsmyuri: 1 })).ok, 1);
    assert.equal((await db.admin().command({ getParameter: 1, featureCompatibilityVersion: 1 })).ok, 1);
  } finally {
    await client.close();
  }
});

test('several servers run side by side in one process and start in milliseconds', async () => {
  const t0 = performance.now();
  const others = await Promise.all([startEmbeddedServer(), startEmbeddedServer()]);
  const elapsed = performance.now() - t0;
  try {
    assert.notEqual(others[0].socketPath, others[1].socketPath);
    assert.equal(others[0].uri, `mongodb://${encodeURIComponent(others[0].socketPath)}/?directConnection=true`);
    assert.match(others[0].socketPath, /^\/.*\.sock$/);
    assert.ok(elapsed < 500, `start took ${elapsed} ms`);
    const a = await MongoClient.connect(others[0].uri);
    const b = await MongoClient.connect(others[1].uri);
    await a.db('x').collection('c').insertOne({ v: 1 });
    assert.equal(await b.db('x').collection('c').countDocuments(), 0);
    await a.close();
    await b.close();
  } finally {
    await Promise.all(others.map((s) => s.close()));
  }
});
