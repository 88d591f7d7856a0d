// Write health through the real mongodb driver: when the journal commit fails (disk full), the write's
// in-memory change is rolled back (never shown), later writes are refused with OutOfDiskSpace (14031), the
// server's health() and serverStatus report not writable, and writes are accepted again by themselves once a
// probe write succeeds. Uses an injected persistence whose disk can be made to fail.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MongoClient, type Db } from 'mongodb';
import { startEmbeddedServer, type EmbeddedServer, type JournalRecord, type Persistence } from '../src/index.js';

let diskFails = false;
const committed: JournalRecord[] = [];
const persistence: Persistence = {
  open: async () => [],
  commit: async (records) => {
    if (diskFails) throw new Error('ENOSPC: no space left on device, write');
    committed.push(...records);
  },
  compact: async () => {},
  shouldCompact: () => false,
  close: async () => {},
  recover: async () => {
    if (diskFails) throw new Error('ENOSPC: no space left on device, write');
  },
};

let server: EmbeddedServer;
let client: MongoClient;
let db: Db;

before(async () => {
  server = await startEmbeddedServer({ persistence });
  client = await MongoClient.connect(server.uri, { retryWrites: false });
  db = client.db('health');
});
after(async () => {
  await client.close();
  await server.close();
});

type Err = Error & { code?: number; codeName?: string };
const status = async () => (await db.admin().command({ serverStatus: 1 })).embedded;

test('a failed commit is rolled back, writes are refused while the disk fails, and recovery is automatic', async () => {
  const c = db.collection<any>('items');
  await c.insertOne({ _id: 1, n: 0 });
  assert.equal(server.health().writable, true);
  assert.equal((await status()).writable, true);

  diskFails = true;
  await assert.rejects(c.insertOne({ _id: 2 }), (e: Err) => e.code === 14031 && e.codeName === 'OutOfDiskSpace');
  assert.deepEqual(await c.find().toArray(), [{ _id: 1, n: 0 }], 'the unacknowledged insert is not shown');
  await assert.rejects(c.updateOne({ _id: 1 }, { $set: { n: 1 } }), (e: Err) => e.code === 14031);
  assert.deepEqual(await c.find().toArray(), [{ _id: 1, n: 0 }]);
  const h = server.health();
  assert.equal(h.writable, false);
  assert.match(h.writeError ?? '', /ENOSPC/);
  assert.ok(h.writeErrorSince instanceof Date);
  assert.equal((await status()).writable, false);
  assert.equal((await db.command({ ping: 1 })).ok, 1, 'reads and pings still work');

  diskFails = false;
  const deadline = Date.now() + 5_000;
  while (!server.health().writable && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.equal(server.health().writable, true);
  assert.equal((await status()).writable, true);
  await c.insertOne({ _id: 3 });
  assert.deepEqual(
    (await c.find().toArray()).map((d) => d._id),
    [1, 3],
  );
  assert.deepEqual(
    committed.filter((r) => r.t === 'put').map((r) => (r as { doc: { _id?: unknown } }).doc._id),
    [1, 3],
  );
});

test('a transaction whose commit cannot be made durable is rolled back', async () => {
  const c = db.collection<any>('tx');
  await c.insertOne({ _id: 1, n: 0 });
  const s = client.startSession();
  s.startTransaction();
  await c.updateOne({ _id: 1 }, { $set: { n: 1 } }, { session: s });
  await c.insertOne({ _id: 2 }, { session: s });
  diskFails = true;
  await assert.rejects(s.commitTransaction(), (e: Err) => e.code === 14031);
  await s.endSession();
  assert.deepEqual(await c.find().toArray(), [{ _id: 1, n: 0 }]);
  diskFails = false;
  const deadline = Date.now() + 5_000;
  while (!server.health().writable && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.equal(server.health().writable, true);
});
