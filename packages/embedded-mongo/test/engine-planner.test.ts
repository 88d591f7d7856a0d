// Query planning of the embedded engine. Partial indexes: like mongod, a partial index serves a query only when the
// query's equality constraints imply its partialFilterExpression; otherwise the query must not use it (documents
// outside the filter are not in the index) — results are the same either way. Mingo-free filters (plain equality,
// $eq, $in of scalars) must match exactly what mingo matches: arrays (any element), nested paths, missing fields,
// mixed numeric types, dates and ObjectIds — each query runs as-is (fast path) and wrapped in $and (mingo).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Double, Int32, Long, MongoClient, ObjectId, type Db, type Document } from 'mongodb';
import { startEmbeddedServer, type EmbeddedServer } from '../src/index.js';

let server: EmbeddedServer;
let client: MongoClient;
let db: Db;

before(async () => {
  server = await startEmbeddedServer({});
  client = await MongoClient.connect(server.uri);
  db = client.db('planner');
});
after(async () => {
  await client.close();
  await server.close();
});

async function planOf(filter: Document): Promise<{ docs: number; index?: string; n: number }> {
  const ex = await db.collection('messages').find(filter).explain('executionStats');
  const plan = ex.queryPlanner.winningPlan;
  return {
    docs: ex.executionStats.totalDocsExamined,
    index: plan.inputStage?.indexName ?? plan.indexName,
    n: ex.executionStats.nReturned,
  };
}

test('an equality on a string provider id uses the {channelId, providerMessageId} partial unique index', async () => {
  const channel = new ObjectId();
  const messages = db.collection('messages');
  await messages.createIndex(
    { channelId: 1, providerMessageId: 1 },
    { unique: true, partialFilterExpression: { providerMessageId: { $type: 'string' } }, name: 'pmid' },
  );
  const docs: Document[] = [];
  for (let i = 0; i < 500; i++) docs.push({ channelId: channel, providerMessageId: `wamid.${i}`, n: i });
  for (let i = 0; i < 50; i++) docs.push({ channelId: channel, providerMessageId: null, n: 1000 + i }); // outbound, not sent
  await messages.insertMany(docs);

  const hit = await planOf({ channelId: channel, providerMessageId: 'wamid.42' });
  assert.equal(hit.index, 'pmid');
  assert.equal(hit.docs, 1);
  assert.equal(hit.n, 1);
  const many = await planOf({ channelId: channel, providerMessageId: { $in: ['wamid.1', 'wamid.2', 'nope'] } });
  assert.equal(many.index, 'pmid');
  assert.equal(many.n, 2);

  // null does not satisfy $type string: the index must not be used, and the 50 outbound rows are found.
  const nulls = await planOf({ channelId: channel, providerMessageId: null });
  assert.notEqual(nulls.index, 'pmid');
  assert.equal(nulls.n, 50);
  // Only the channel: not implied either.
  const all = await planOf({ channelId: channel });
  assert.notEqual(all.index, 'pmid');
  assert.equal(all.n, 550);
  // A mixed $in (a string and null) is not implied as a whole.
  const mixed = await planOf({ channelId: channel, providerMessageId: { $in: ['wamid.3', null] } });
  assert.notEqual(mixed.index, 'pmid');
  assert.equal(mixed.n, 51);
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
