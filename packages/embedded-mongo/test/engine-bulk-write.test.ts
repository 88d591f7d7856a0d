// The MongoDB 8 `bulkWrite` command through the real driver's MongoClient.bulkWrite: mixed namespaces, inserts,
// updates (one/many/replace/upsert), deletes, verbose per-operation results, totals, per-operation errors with
// ordered (stop) and unordered (continue) execution, errorsOnly, let.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MongoBulkWriteError, MongoClient, MongoClientBulkWriteError, type Db } from 'mongodb';
import { startEmbeddedServer, type EmbeddedServer } from '../src/index.js';

let server: EmbeddedServer;
let client: MongoClient;
let db: Db;

before(async () => {
  server = await startEmbeddedServer();
  client = await MongoClient.connect(server.uri);
  db = client.db('bulk');
});
after(async () => {
  await client.close();
  await server.close();
});

test('MongoClient.bulkWrite: mixed namespaces, verbose results and totals', async () => {
  await db.collection<any>('a').insertMany([
    { _id: 1, x: 1 },
    { _id: 2, x: 2 },
    { _id: 3, x: 3 },
  ]);
  const res = await client.bulkWrite(
    [
      { name: 'insertOne', namespace: 'bulk.a', document: { _id: 4, x: 4 } },
      { name: 'insertOne', namespace: 'bulk.b', document: { _id: 1 } },
      { name: 'updateOne', namespace: 'bulk.a', filter: { _id: 1 }, update: { $inc: { x: 10 } } },
      { name: 'updateMany', namespace: 'bulk.a', filter: { _id: { $gt: 1 } }, update: { $set: { y: 1 } } },
      { name: 'replaceOne', namespace: 'bulk.a', filter: { _id: 9 }, replacement: { x: 9 }, upsert: true },
      { name: 'deleteOne', namespace: 'bulk.a', filter: { _id: 2 } },
      { name: 'deleteMany', namespace: 'bulk.b', filter: {} },
    ] as any,
    { verboseResults: true },
  );
  assert.equal(res.insertedCount, 2);
  assert.equal(res.matchedCount, 4);
  assert.equal(res.modifiedCount, 4);
  assert.equal(res.upsertedCount, 1);
  assert.equal(res.deletedCount, 2);
  assert.deepEqual(res.insertResults?.get(0), { insertedId: 4 });
  assert.equal(res.updateResults?.get(3)?.matchedCount, 3);
  assert.equal(res.updateResults?.get(4)?.didUpsert, true);
  assert.equal(res.deleteResults?.get(6)?.deletedCount, 1);
  const docs = await db.collection('a').find({}).sort({ _id: 1 }).toArray();
  assert.deepEqual(
    docs.map((d) => d._id),
    [1, 3, 4, res.updateResults?.get(4)?.upsertedId],
  );
  assert.equal(docs[0].x, 11);
});

test('bulkWrite: ordered stops at the first per-operation error, unordered goes on', async () => {
  const ops = [
    { name: 'insertOne', namespace: 'bulk.c', document: { _id: 1 } },
    { name: 'insertOne', namespace: 'bulk.c', document: { _id: 1 } },
    { name: 'insertOne', namespace: 'bulk.c', document: { _id: 2 } },
  ] as any;
  await assert.rejects(client.bulkWrite(ops), (e: MongoClientBulkWriteError) => {
    assert.ok(e instanceof MongoClientBulkWriteError);
    assert.equal(e.writeErrors.get(1)?.code, 11000);
    assert.equal(e.partialResult?.insertedCount, 1);
    return true;
  });
  assert.equal(await db.collection('c').countDocuments(), 1);
  await assert.rejects(client.bulkWrite(ops, { ordered: false }), (e: MongoClientBulkWriteError) => {
    assert.deepEqual([...e.writeErrors.keys()], [0, 1]);
    assert.equal(e.partialResult?.insertedCount, 1);
    return true;
  });
  assert.equal(await db.collection('c').countDocuments(), 2);
  void MongoBulkWriteError;
});

test('bulkWrite command: errorsOnly, let, invalid nsInfo index, only on admin', async () => {
  await db.collection<any>('d').insertMany([{ _id: 1 }, { _id: 2 }]);
  const admin = client.db('admin');
  const r = await admin.command({
    bulkWrite: 1,
    ops: [
      { update: 0, filter: { $expr: { $eq: ['$_id', '$$id'] } }, updateMods: [{ $set: { v: '$$v' } }] },
      { insert: 0, document: { _id: 1 } },
      { insert: 3, document: { _id: 5 } },
    ],
    nsInfo: [{ ns: 'bulk.d' }],
    ordered: false,
    errorsOnly: true,
    let: { id: 2, v: 'x' },
  });
  assert.equal(r.nMatched, 1);
  assert.equal(r.nModified, 1);
  assert.equal(r.nErrors, 2);
  assert.deepEqual(
    r.cursor.firstBatch.map((d: any) => [d.ok, d.idx, d.code]),
    [
      [0, 1, 11000],
      [0, 2, 2],
    ],
  );
  assert.deepEqual(await db.collection('d').findOne({ _id: 2 as any }), { _id: 2, v: 'x' });
  await assert.rejects(db.command({ bulkWrite: 1, ops: [], nsInfo: [{ ns: 'bulk.d' }] }), /admin/);
});
