// Collation through the real mongodb driver: strength 1 (case- and accent-insensitive) and 2 (case-insensitive)
// equality in find / count / distinct / update / delete / findAndModify / bulkWrite, collator sort order,
// numericOrdering, 'simple' = binary, unsupported options and aggregations with a collation refused.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MongoClient, type Db } from 'mongodb';
import { startEmbeddedServer, type EmbeddedServer } from '../src/index.js';

let server: EmbeddedServer;
let client: MongoClient;
let db: Db;
const coll = (name: string) => db.collection<any>(name);

before(async () => {
  server = await startEmbeddedServer();
  client = await MongoClient.connect(server.uri);
  db = client.db('collation');
  await coll('w').insertMany([
    { _id: 1, x: 'ping' },
    { _id: 2, x: 'PING' },
    { _id: 3, x: 'píng' },
    { _id: 4, x: 'pong' },
  ]);
});
after(async () => {
  await client.close();
  await server.close();
});

const s1 = { locale: 'en_US', strength: 1 };
const s2 = { locale: 'en_US', strength: 2 };
const ids = (rows: any[]) => rows.map((r) => r._id);

test('find / count / distinct with strength 1 and 2; simple is binary', async () => {
  assert.deepEqual(ids(await coll('w').find({ x: 'PING' }, { collation: s1 }).toArray()), [1, 2, 3]);
  assert.deepEqual(ids(await coll('w').find({ x: 'PING' }, { collation: s2 }).toArray()), [1, 2]);
  assert.deepEqual(
    ids(
      await coll('w')
        .find({ x: { $in: ['PONG'] } }, { collation: s2 })
        .toArray(),
    ),
    [4],
  );
  assert.deepEqual(
    ids(
      await coll('w')
        .find({ x: 'PING' }, { collation: { locale: 'simple' } })
        .toArray(),
    ),
    [2],
  );
  assert.equal(await coll('w').countDocuments({ x: 'ping' }, { collation: s1 }), 3);
  assert.deepEqual(await coll('w').distinct('x', {}, { collation: s1 }), ['ping', 'pong']);
});

test('sort follows the collator; numericOrdering', async () => {
  await coll('s').insertMany([{ v: 'b' }, { v: 'B' }, { v: 'a' }, { v: 'C' }, { v: '10' }, { v: '9' }]);
  const rows = await coll('s')
    .find({}, { collation: { locale: 'en' }, projection: { _id: 0 } })
    .sort({ v: 1 })
    .toArray();
  assert.deepEqual(
    rows.map((r) => r.v),
    ['10', '9', 'a', 'b', 'B', 'C'],
  );
  const num = await coll('s')
    .find({}, { collation: { locale: 'en', numericOrdering: true } })
    .sort({ v: 1 })
    .limit(2)
    .toArray();
  assert.deepEqual(
    num.map((r) => r.v),
    ['9', '10'],
  );
});

test('update / delete / findAndModify / bulkWrite with a collation', async () => {
  const c = coll('u');
  await c.insertMany([
    { _id: 1, x: 'ping' },
    { _id: 2, x: 'PING' },
    { _id: 3, x: 'other' },
  ]);
  assert.equal((await c.updateMany({ x: 'Ping' }, { $set: { hit: true } }, { collation: s2 })).modifiedCount, 2);
  assert.deepEqual(
    await c.findOneAndUpdate({ x: 'OTHER' }, { $set: { y: 1 } }, { collation: s2, returnDocument: 'after' }),
    {
      _id: 3,
      x: 'other',
      y: 1,
    },
  );
  const r = await c.bulkWrite([{ deleteOne: { filter: { x: 'PiNg' }, collation: s2 } }]);
  assert.equal(r.deletedCount, 1);
  assert.equal((await c.deleteMany({ x: 'ping' }, { collation: s1 })).deletedCount, 1);
  assert.deepEqual(ids(await c.find({}).toArray()), [3]);
});

test('unsupported collation options and collated aggregations are refused', async () => {
  await assert.rejects(
    coll('w')
      .find({}, { collation: { locale: 'en', caseLevel: true } })
      .toArray(),
    /not supported/,
  );
  await assert.rejects(
    coll('w')
      .find({}, { collation: { locale: 'en', strength: 4 } })
      .toArray(),
    /not supported/,
  );
  await assert.rejects(
    coll('w')
      .aggregate([{ $match: { x: 'PING' } }, { $sort: { x: 1 } }], { collation: s1 })
      .toArray(),
    /collation/,
  );
  const [n] = await coll('w')
    .aggregate([{ $match: { x: 'PING' } }, { $count: 'n' }], { collation: s1 })
    .toArray();
  assert.equal(n.n, 3);
});
