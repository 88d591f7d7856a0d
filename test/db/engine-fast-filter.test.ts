// The planner's mingo-free filters (plain equality, $eq, $in of scalars) must match exactly what mingo matches:
// arrays (any element), nested paths, missing fields, mixed numeric types, dates and ObjectIds. Each query is run
// as-is (fast path) and wrapped in $and (mingo), and the answers compared.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Double, Int32, Long, MongoClient, ObjectId, type Db, type Document } from 'mongodb';
import { startEmbeddedServer, type EmbeddedServer } from '../../server/src/db/embedded/index.js';

let server: EmbeddedServer;
let client: MongoClient;
let db: Db;

before(async () => {
  server = await startEmbeddedServer({});
  client = await MongoClient.connect(server.uri);
  db = client.db('fast');
});
after(async () => {
  await client.close();
  await server.close();
});

test('equality, $eq and $in on scalars answer like mingo', async () => {
  const ids = [new ObjectId(), new ObjectId(), new ObjectId()];
  const day = new Date('2026-01-01T00:00:00Z');
  const values: unknown[] = [
    1,
    new Double(1),
    new Long(1),
    new Int32(2),
    2.5,
    'a',
    'b',
    true,
    false,
    day,
    ids[0],
    ids[1],
  ];
  const pick = (i: number) => values[i % values.length];
  const docs: Document[] = [];
  for (let i = 0; i < 300; i++) {
    const d: Document = { n: i };
    if (i % 7 !== 0) d.a = i % 5 === 0 ? [pick(i), pick(i + 3)] : pick(i);
    if (i % 3 === 0) d.s = { t: pick(i * 2) };
    if (i % 11 === 0) d.a = null;
    docs.push(d);
  }
  const coll = db.collection('f');
  await coll.insertMany(docs);
  await coll.createIndex({ a: 1 });
  const queries: Document[] = [
    { a: 1 },
    { a: 'a' },
    { a: day },
    { a: ids[0] },
    { a: { $eq: true } },
    { a: { $in: [1, 'b'] } },
    { a: { $in: [new Long(2), ids[1], false] } },
    { 's.t': { $in: [2.5, 'b'] } },
    { a: { $in: [1] }, 's.t': { $in: ['a', 1] } },
    { _id: { $in: [docs[3]._id, docs[4]._id, new ObjectId()] } },
  ];
  for (const q of queries) {
    const fast = (await coll.find(q).sort({ n: 1 }).toArray()).map((d) => d.n);
    const slow = (
      await coll
        .find({ $and: [q] })
        .sort({ n: 1 })
        .toArray()
    ).map((d) => d.n);
    assert.deepEqual(fast, slow, JSON.stringify(q));
    assert.ok(slow.length > 0, `the data set exercises ${JSON.stringify(q)}`);
  }
});
