// `let` variables through the real mongodb driver: `$$name` in `$expr` filters of find / update / delete /
// findAndModify / aggregate, in pipeline updates and aggregation stages, let values evaluated as expressions.
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
  db = client.db('letvars');
});
after(async () => {
  await client.close();
  await server.close();
});

const byId = { $expr: { $eq: ['$_id', '$$id'] } };

test('find with let: $$var in $expr and in projections', async () => {
  const c = coll('find');
  await c.insertMany([{ _id: 1 }, { _id: 2, x: 5 }]);
  assert.deepEqual(await c.find(byId, { let: { id: 1 } }).toArray(), [{ _id: 1 }]);
  await assert.rejects(c.find(byId, { let: { id: 2 }, projection: { v: '$$tag' } }).toArray(), /undefined variable/);
  const rows = await db.command({
    find: 'find',
    filter: byId,
    projection: { _id: 0, y: '$$tag' },
    let: { id: 2, tag: 'z' },
  });
  assert.deepEqual(rows.cursor.firstBatch, [{ y: 'z' }]);
});

test('updateOne / updateMany / upsert with let: filter and pipeline update see the variables', async () => {
  const c = coll('upd');
  await c.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 3 }]);
  const r = await c.updateOne(byId, [{ $set: { x: '$$x' } }], { let: { id: 1, x: 'foo' } });
  assert.equal(r.matchedCount, 1);
  assert.equal(r.modifiedCount, 1);
  const m = await c.updateMany({ $expr: { $gt: ['$_id', '$$min'] } }, [{ $set: { y: '$$y' } }], {
    let: { min: 1, y: 7 },
  });
  assert.equal(m.modifiedCount, 2);
  await c.replaceOne(byId, { z: 1 }, { let: { id: 3 } });
  const u = await c.updateOne(byId, [{ $set: { w: '$$w' } }], { upsert: true, let: { id: 9, w: 'up' } });
  assert.equal(u.upsertedCount, 1);
  assert.deepEqual(await c.find({}).sort({ _id: 1 }).toArray(), [
    { _id: 1, x: 'foo' },
    { _id: 2, y: 7 },
    { _id: 3, z: 1 },
    { _id: u.upsertedId, w: 'up' },
  ]);
});

test('deleteOne / deleteMany / findOneAndUpdate / findOneAndDelete with let', async () => {
  const c = coll('del');
  await c.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 3 }, { _id: 4 }]);
  assert.equal((await c.deleteOne(byId, { let: { id: 1 } })).deletedCount, 1);
  assert.equal((await c.deleteMany({ $expr: { $gte: ['$_id', '$$min'] } }, { let: { min: 4 } })).deletedCount, 1);
  const doc = await c.findOneAndUpdate(byId, [{ $set: { x: '$$x' } }], {
    let: { id: 2, x: 'foo' },
    returnDocument: 'after',
  });
  assert.deepEqual(doc, { _id: 2, x: 'foo' });
  assert.deepEqual(await c.findOneAndDelete(byId, { let: { id: 3 } }), { _id: 3 });
  assert.deepEqual(await c.find({}).toArray(), [{ _id: 2, x: 'foo' }]);
});

test('aggregate with let: leading $match, later stages, expressions as values', async () => {
  const c = coll('agg');
  await c.insertMany([{ _id: 1 }, { _id: 2 }]);
  const rows = await c
    .aggregate(
      [{ $match: { $expr: { $eq: ['$_id', '$$id'] } } }, { $project: { _id: 0, x: '$$x', y: '$$y', r: '$$rand' } }],
      { let: { id: 1, x: 'foo', y: { $literal: '$bar' }, rand: { $rand: {} } } },
    )
    .toArray();
  assert.equal(rows.length, 1);
  assert.equal(rows[0].x, 'foo');
  assert.equal(rows[0].y, '$bar');
  assert.equal(typeof rows[0].r, 'number');
  const sum = await c
    .aggregate([{ $project: { s: { $add: ['$_id', '$$k'] } } }], { let: { k: { $add: [1, 1] } } })
    .toArray();
  assert.deepEqual(sum, [
    { _id: 1, s: 3 },
    { _id: 2, s: 4 },
  ]);
});

test('let: invalid variable names are refused', async () => {
  await assert.rejects(
    coll('agg')
      .find({}, { let: { Bad: 1 } })
      .toArray(),
    /invalid character/,
  );
});
