// Writing aggregation stages and database-level aggregations through the real mongodb driver: $out replaces the
// target atomically (keeping its indexes; untouched on failure), $merge with on / whenMatched / whenNotMatched /
// let, their errors, $documents / $listLocalSessions / $currentOp on `aggregate: 1`.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MongoClient, type Db } from 'mongodb';
import { startEmbeddedServer, type EmbeddedServer } from '../src/index.js';

let server: EmbeddedServer;
let client: MongoClient;
let db: Db;
const coll = (name: string) => db.collection<any>(name);
type ServerErr = Error & { code?: number; keyPattern?: unknown; keyValue?: unknown };

before(async () => {
  server = await startEmbeddedServer();
  client = await MongoClient.connect(server.uri);
  db = client.db('aggwrite');
});
after(async () => {
  await client.close();
  await server.close();
});

test('$out writes the results, replaces the target, keeps its indexes, answers an empty cursor', async () => {
  const src = coll('src');
  await src.insertMany([
    { _id: 1, x: 11 },
    { _id: 2, x: 22 },
    { _id: 3, x: 33 },
  ]);
  await coll('out').insertOne({ _id: 'old' });
  await coll('out').createIndex({ x: 1 }, { unique: true });
  const res = await src.aggregate([{ $sort: { x: 1 } }, { $match: { _id: { $gt: 1 } } }, { $out: 'out' }]).toArray();
  assert.deepEqual(res, []);
  assert.deepEqual(await coll('out').find({}).toArray(), [
    { _id: 2, x: 22 },
    { _id: 3, x: 33 },
  ]);
  assert.deepEqual(
    (await coll('out').listIndexes().toArray()).map((i) => i.name),
    ['_id_', 'x_1'],
  );
  await src.aggregate([{ $project: { x: 1 } }, { $out: { db: 'aggwrite2', coll: 'copy' } }]).toArray();
  assert.equal(await client.db('aggwrite2').collection('copy').countDocuments(), 3);
});

test('$out is atomic: a duplicate key leaves the target as it was', async () => {
  await coll('out2').insertOne({ _id: 'keep' });
  await coll('out2').createIndex({ k: 1 }, { unique: true });
  await assert.rejects(
    coll('src')
      .aggregate([{ $project: { k: 'same' } }, { $out: 'out2' }])
      .toArray(),
    (e: ServerErr) => e.code === 11000,
  );
  assert.deepEqual(await coll('out2').find({}).toArray(), [{ _id: 'keep' }]);
});

test('$out / $merge must be the last stage, and are refused in a transaction', async () => {
  await assert.rejects(
    coll('src')
      .aggregate([{ $out: 'x' }, { $match: {} }])
      .toArray(),
    (e: ServerErr) => e.code === 40601,
  );
  const session = client.startSession();
  try {
    session.startTransaction();
    await assert.rejects(
      coll('src')
        .aggregate([{ $merge: { into: 'x' } }], { session })
        .toArray(),
      (e: ServerErr) => e.code === 263,
    );
  } finally {
    await session.abortTransaction().catch(() => {});
    await session.endSession();
  }
});

test('$merge: default merge + insert, replace, keepExisting, discard', async () => {
  const t = coll('target');
  await t.insertMany([
    { _id: 2, x: 0, keep: true },
    { _id: 9, x: 99 },
  ]);
  await coll('src')
    .aggregate([{ $match: { _id: { $gt: 1 } } }, { $merge: { into: 'target' } }])
    .toArray();
  assert.deepEqual(await t.find({}).sort({ _id: 1 }).toArray(), [
    { _id: 2, x: 22, keep: true },
    { _id: 3, x: 33 },
    { _id: 9, x: 99 },
  ]);
  await coll('src')
    .aggregate([{ $merge: { into: 'target', whenMatched: 'replace', whenNotMatched: 'discard' } }])
    .toArray();
  assert.deepEqual(await t.find({}).sort({ _id: 1 }).toArray(), [
    { _id: 2, x: 22 },
    { _id: 3, x: 33 },
    { _id: 9, x: 99 },
  ]);
  await coll('src')
    .aggregate([{ $set: { x: 0 } }, { $merge: { into: 'target', whenMatched: 'keepExisting' } }])
    .toArray();
  assert.deepEqual(
    (await t.find({}).sort({ _id: 1 }).toArray()).map((d) => d.x),
    [0, 22, 33, 99],
  );
});

test('$merge: whenMatched pipeline with $$new and let, on a unique field', async () => {
  const t = coll('stock');
  await t.createIndex({ sku: 1 }, { unique: true });
  await t.insertMany([{ sku: 'a', qty: 1 }]);
  await db
    .aggregate([
      {
        $documents: [
          { sku: 'a', qty: 5 },
          { sku: 'b', qty: 2 },
        ],
      },
      { $merge: { into: 'stock', on: 'sku', whenMatched: [{ $set: { qty: { $add: ['$qty', '$$new.qty'] } } }] } },
    ])
    .toArray();
  await db
    .aggregate([
      { $documents: [{ sku: 'b', qty: 10 }] },
      {
        $merge: {
          into: 'stock',
          on: 'sku',
          let: { add: '$qty' },
          whenMatched: [{ $set: { qty: { $multiply: ['$qty', '$$add'] } } }],
        },
      },
    ])
    .toArray();
  const rows = await t
    .find({}, { projection: { _id: 0 } })
    .sort({ sku: 1 })
    .toArray();
  assert.deepEqual(rows, [
    { sku: 'a', qty: 6 },
    { sku: 'b', qty: 20 },
  ]);
  await assert.rejects(
    db.aggregate([{ $documents: [{ sku: 'c' }] }, { $merge: { into: 'stock', on: 'nope' } }]).toArray(),
    (e: ServerErr) => e.code === 51183,
  );
});

test('$merge errors: whenMatched fail is a duplicate key, whenNotMatched fail', async () => {
  await coll('test').insertOne({ _id: 2, x: 0 });
  await assert.rejects(
    db.aggregate([{ $documents: [{ _id: 2, x: 1 }] }, { $merge: { into: 'test', whenMatched: 'fail' } }]).toArray(),
    (e: ServerErr) => {
      assert.equal(e.code, 11000);
      assert.deepEqual(e.keyPattern, { _id: 1 });
      assert.deepEqual(e.keyValue, { _id: 2 });
      return true;
    },
  );
  await assert.rejects(
    db.aggregate([{ $documents: [{ _id: 7 }] }, { $merge: { into: 'test', whenNotMatched: 'fail' } }]).toArray(),
    (e: ServerErr) => e.code === 13113,
  );
});

test('database aggregate: $documents, $listLocalSessions, $currentOp', async () => {
  assert.deepEqual(await db.aggregate([{ $documents: [{ a: 1 }, { a: 2 }] }, { $match: { a: 2 } }]).toArray(), [
    { a: 2 },
  ]);
  const rows = await db
    .aggregate([
      { $listLocalSessions: {} },
      { $limit: 1 },
      { $addFields: { dummy: 'dummy field' } },
      { $project: { _id: 0, dummy: 1 } },
    ])
    .toArray();
  assert.deepEqual(rows, [{ dummy: 'dummy field' }]);
  const [s] = await db.aggregate([{ $listLocalSessions: {} }]).toArray();
  assert.ok(s._id.id && s._id.uid && s.lastUse instanceof Date);
  const ops = await client
    .db('admin')
    .aggregate([{ $currentOp: {} }])
    .toArray();
  assert.equal(ops[0].op, 'command');
  await assert.rejects(db.aggregate([{ $currentOp: {} }]).toArray(), (e: ServerErr) => e.code === 73);
  await assert.rejects(db.aggregate([{ $match: {} }]).toArray(), (e: ServerErr) => e.code === 73);
});
