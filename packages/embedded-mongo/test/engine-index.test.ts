// Index behaviour of the embedded engine: equality/$in lookups use indexes (asserted via explain's
// totalDocsExamined), compound prefixes, unique/sparse/partial/multikey rules, spec conflicts (85/86),
// TTL sweeping, and connect-mongo's usage pattern.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MongoClient, ObjectId, type Db, type Document } from 'mongodb';
import { startEmbeddedServer, type EmbeddedServer } from '../src/index.js';

let server: EmbeddedServer;
let client: MongoClient;
let db: Db;

before(async () => {
  server = await startEmbeddedServer({ ttlSweepMs: 50 });
  client = await MongoClient.connect(server.uri);
  db = client.db('ix');
});
after(async () => {
  await client.close();
  await server.close();
});

type ServerErr = Error & { code?: number };

async function examined(coll: string, filter: Document): Promise<{ docs: number; stage: string; index?: string }> {
  const ex = await db.collection(coll).find(filter).explain('executionStats');
  const plan = ex.queryPlanner.winningPlan;
  return {
    docs: ex.executionStats.totalDocsExamined,
    stage: plan.inputStage?.stage ?? plan.stage,
    index: plan.inputStage?.indexName,
  };
}

test('equality and $in on indexed fields (and _id) examine only matching documents', async () => {
  const c = db.collection('big');
  await c.createIndex({ key: 1 });
  await c.createIndex({ a: 1, b: 1 });
  await c.insertMany(
    Array.from({ length: 2000 }, (_, i) => ({
      _id: i,
      key: `k${i}`,
      a: i % 10,
      b: i % 7,
      tags: [`t${i % 50}`],
    })) as never,
  );
  assert.deepEqual(await examined('big', { key: 'k5' }), { docs: 1, stage: 'IXSCAN', index: 'key_1' });
  assert.equal((await examined('big', { key: { $in: ['k1', 'k2', 'k3'] } })).docs, 3);
  assert.equal((await examined('big', { _id: 77 })).docs, 1);
  assert.equal((await examined('big', { _id: { $in: [1, 2, 3, 99999] } })).docs, 3);
  assert.equal((await examined('big', { key: 'k5', a: 5 })).docs, 1);
  // compound index: full key and prefix
  assert.equal((await examined('big', { a: 3, b: 4 })).docs, await c.countDocuments({ a: 3, b: 4 }));
  const prefix = await examined('big', { a: 3 });
  assert.equal(prefix.index, 'a_1_b_1');
  assert.equal(prefix.docs, 200);
  // not indexed → collection scan
  assert.equal((await examined('big', { tags: 't3' })).stage, 'COLLSCAN');
  // results are right either way, including natural order
  assert.deepEqual(
    (await c.find({ a: 3, b: { $in: [0, 1] } }).toArray()).map((d) => d._id),
    (await c.find({}).toArray()).filter((d) => d.a === 3 && [0, 1].includes(d.b)).map((d) => d._id),
  );
  // index maintained through updates and deletes
  await c.updateOne({ key: 'k5' }, { $set: { key: 'k5b' } });
  assert.equal(await c.countDocuments({ key: 'k5' }), 0);
  assert.equal(await c.countDocuments({ key: 'k5b' }), 1);
  await c.deleteOne({ key: 'k5b' });
  assert.equal((await examined('big', { key: 'k5b' })).docs, 0);
});

test('multikey index: array elements are indexed; unique applies across documents only', async () => {
  const c = db.collection('multi');
  await c.createIndex({ tags: 1 }, { unique: true });
  await c.insertOne({ tags: ['a', 'b', 'a'] }); // repeats inside one document are fine
  await assert.rejects(c.insertOne({ tags: ['c', 'b'] }), (e: ServerErr) => e.code === 11000);
  await c.insertOne({ tags: ['c'] });
  assert.equal((await examined('multi', { tags: 'b' })).docs, 1);
  assert.equal(await c.countDocuments({ tags: 'b' }), 1);
});

test('unique index: type-aware keys, missing treated as null unless sparse, partial filters', async () => {
  const c = db.collection('uniq');
  await c.createIndex({ code: 1 }, { unique: true });
  await c.insertOne({ code: 1 });
  await c.insertOne({ code: '1' }); // 1 and "1" differ
  await c.insertOne({ other: true }); // missing = null
  await assert.rejects(
    c.insertOne({ other: 2 }),
    (e: ServerErr) => e.code === 11000 && /dup key: \{ code: null \}/.test(e.message),
  );
  await assert.rejects(c.insertOne({ code: null }), (e: ServerErr) => e.code === 11000);

  const s = db.collection('sparse');
  await s.createIndex({ handle: 1 }, { unique: true, sparse: true });
  await s.insertMany([{ x: 1 }, { x: 2 }, { handle: 'h' }]);
  await assert.rejects(s.insertOne({ handle: 'h' }), (e: ServerErr) => e.code === 11000);

  const p = db.collection('partial');
  await p.createIndex({ email: 1 }, { unique: true, partialFilterExpression: { deleted: false } });
  await p.insertMany([
    { email: 'e', deleted: true },
    { email: 'e', deleted: true },
    { email: 'e', deleted: false },
  ]);
  await assert.rejects(p.insertOne({ email: 'e', deleted: false }), (e: ServerErr) => e.code === 11000);
  // building a unique index over duplicates fails and leaves no index behind
  const d = db.collection('dups');
  await d.insertMany([{ v: 1 }, { v: 1 }]);
  await assert.rejects(d.createIndex({ v: 1 }, { unique: true }), (e: ServerErr) => e.code === 11000);
  assert.deepEqual(
    (await d.indexes()).map((i) => i.name),
    ['_id_'],
  );
});

test('createIndex: identical spec is a no-op; same name/different spec 86; same key/different name 85; drop', async () => {
  const c = db.collection('specs');
  assert.equal(await c.createIndex({ a: 1 }, { name: 'a_idx' }), 'a_idx');
  assert.equal(await c.createIndex({ a: 1 }, { name: 'a_idx' }), 'a_idx');
  await assert.rejects(c.createIndex({ b: 1 }, { name: 'a_idx' }), (e: ServerErr) => e.code === 86);
  await assert.rejects(c.createIndex({ a: 1 }, { name: 'other' }), (e: ServerErr) => e.code === 85);
  await assert.rejects(
    c.createIndex({ a: 1 }, { name: 'a_idx', unique: true }),
    (e: ServerErr) => e.code === 86 || e.code === 85,
  );
  await assert.rejects(c.createIndex({ body: 'text' }), /not supported/);
  await c.createIndex({ z: -1, y: 1 });
  assert.deepEqual(
    (await c.indexes()).map((i) => i.name),
    ['_id_', 'a_idx', 'z_-1_y_1'],
  );
  await c.dropIndex('a_idx');
  await assert.rejects(c.dropIndex('a_idx'), (e: ServerErr) => e.code === 27);
  await assert.rejects(c.dropIndex('_id_'), (e: ServerErr) => e.code === 72);
  await c.dropIndexes();
  assert.deepEqual(
    (await c.indexes()).map((i) => i.name),
    ['_id_'],
  );
});

test('TTL index: expired documents are swept (short ttlSweepMs)', async () => {
  const c = db.collection('ttl');
  await c.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
  await c.createIndex({ createdAt: 1 }, { expireAfterSeconds: 3600 });
  await c.insertMany([
    { name: 'past', expiresAt: new Date(Date.now() - 1000) },
    { name: 'future', expiresAt: new Date(Date.now() + 60_000) },
    { name: 'old', createdAt: new Date(Date.now() - 2 * 3600_000) },
    { name: 'fresh', createdAt: new Date() },
    { name: 'not-a-date', expiresAt: 'yesterday' },
  ]);
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline && (await c.countDocuments()) > 3) await new Promise((r) => setTimeout(r, 25));
  assert.deepEqual(
    (await c.find().sort({ name: 1 }).toArray()).map((d) => d.name),
    ['fresh', 'future', 'not-a-date'],
  );
});

test('connect-mongo style session store usage', async () => {
  const c = db.collection('sessions');
  await c.createIndex({ expires: 1 }, { expireAfterSeconds: 0 });
  const sid = 'sess-1';
  const expires = new Date(Date.now() + 86_400_000);
  await c.updateOne(
    { _id: sid as never },
    { $set: { _id: sid, session: JSON.stringify({ user: 'u' }), expires } },
    { upsert: true },
  );
  const found = await c.findOne({
    _id: sid as never,
    $or: [{ expires: { $exists: false } }, { expires: { $gt: new Date() } }],
  });
  assert.equal(JSON.parse(found?.session).user, 'u');
  await c.updateOne({ _id: sid as never }, { $set: { expires: new Date(Date.now() + 2 * 86_400_000) } });
  await c.deleteOne({ _id: sid as never });
  assert.equal(await c.findOne({ _id: sid as never }), null);
  assert.ok(new ObjectId());
});
