// Conformance (part 3): the raw `mongodb` driver against the database under test — cursor batching (batchSize,
// getMore, many batches, Int64 cursor ids, killCursors via cursor.close()), aggregate cursors, and unacknowledged
// `moreToCome` writes (w: 0) read back on the same connection. Runs against MONGODB_URI when set. Must never weaken an
// assertion to suit the embedded engine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  Double,
  Int32,
  Long,
  MongoClient,
  type CommandStartedEvent,
  type CommandSucceededEvent,
  type Db,
} from 'mongodb';
import { startTestDatabase, type TestDatabase } from '../helpers/db.js';

let tdb: TestDatabase;
let client: MongoClient;
let db: Db;
const started: CommandStartedEvent[] = [];
const succeeded: CommandSucceededEvent[] = [];
const N = 1050;

before(async () => {
  tdb = await startTestDatabase({ prefix: 'conf_driver' });
  client = new MongoClient(tdb.uri, { monitorCommands: true });
  client.on('commandStarted', (e) => started.push(e));
  client.on('commandSucceeded', (e) => succeeded.push(e));
  await client.connect();
  db = client.db(tdb.dbName);
  await items().insertMany(Array.from({ length: N }, (_, i) => ({ _id: i, i, even: i % 2 === 0 })));
});

after(async () => {
  await client?.close();
  await tdb?.close();
});

const items = () => db.collection<{ _id: number; i: number; even: boolean }>('items');
const since = (mark: number, name: string) => started.slice(mark).filter((e) => e.commandName === name);

test('find with batchSize walks many batches through getMore, in order, with an Int64 cursor id', async () => {
  const mark = started.length;
  const cursor = items().find({}, { batchSize: 100 }).sort({ i: 1 });
  assert.equal(await cursor.hasNext(), true);
  const id = cursor.id;
  assert.ok(id instanceof Long, 'cursor id is a Long');
  assert.ok(!id.isZero(), 'an open cursor has a non-zero id');
  assert.equal(cursor.bufferedCount(), 100, 'first batch holds batchSize documents');
  const seen: number[] = [];
  for await (const doc of cursor) seen.push(doc.i as number);
  assert.deepStrictEqual(
    seen,
    Array.from({ length: N }, (_, i) => i),
  );
  const getMores = since(mark, 'getMore');
  assert.ok(getMores.length >= 10 && getMores.length <= 11, `expected 10-11 getMores, got ${getMores.length}`);
  for (const g of getMores) {
    assert.ok(g.command.getMore instanceof Long, 'getMore is sent with the Int64 id');
    assert.ok(g.command.getMore.equals(id), 'every getMore uses the same cursor id');
    assert.equal(g.command.batchSize, 100);
  }
  assert.ok(cursor.closed);
  assert.equal(since(mark, 'killCursors').length, 0, 'an exhausted cursor needs no killCursors');
});

test('cursor ids are Int64 on the wire and distinct per cursor', async () => {
  const a = await db.command({ find: 'items', filter: {}, batchSize: 2 }, { promoteLongs: false });
  const b = await db.command({ find: 'items', filter: {}, batchSize: 2 }, { promoteLongs: false });
  assert.ok(a.cursor.id instanceof Long && b.cursor.id instanceof Long, 'cursor.id is BSON int64');
  assert.ok(!a.cursor.id.equals(b.cursor.id));
  assert.equal(a.cursor.ns, `${tdb.dbName}.items`);
  assert.equal(a.cursor.firstBatch.length, 2);
  const more = await db.command({ getMore: a.cursor.id, collection: 'items', batchSize: 3 }, { promoteLongs: false });
  assert.deepStrictEqual(
    more.cursor.nextBatch.map((d: { i: number }) => d.i),
    [2, 3, 4],
  );
  assert.ok(more.cursor.id.equals(a.cursor.id));
  const killed = await db.command(
    { killCursors: 'items', cursors: [a.cursor.id, b.cursor.id] },
    { promoteLongs: false },
  );
  assert.equal(killed.cursorsKilled.length, 2);
});

test('cursor.close() on a half-read cursor sends killCursors; the id is then unknown (CursorNotFound)', async () => {
  const mark = started.length;
  const cursor = items().find({ even: true }, { batchSize: 10 });
  const first = await cursor.next();
  assert.ok(first);
  const id = cursor.id!;
  assert.ok(!id.isZero());
  await cursor.close();
  const kills = since(mark, 'killCursors');
  assert.equal(kills.length, 1);
  assert.ok(kills[0].command.cursors[0].equals(id));
  const reply = succeeded.find((e) => e.requestId === kills[0].requestId)?.reply as { cursorsKilled?: unknown[] };
  assert.equal(reply?.cursorsKilled?.length, 1);
  const err = await db.command({ getMore: id, collection: 'items' }).catch((e) => e);
  assert.equal(err.code, 43);
  assert.equal(err.codeName, 'CursorNotFound');
});

test('limit with batchSize ends the cursor at the limit; a single small result closes at once', async () => {
  const docs = await items().find({}, { batchSize: 7, limit: 20 }).sort({ i: -1 }).toArray();
  assert.deepStrictEqual(
    docs.map((d) => d.i),
    Array.from({ length: 20 }, (_, k) => N - 1 - k),
  );
  const small = items().find({ i: { $lt: 5 } });
  assert.equal((await small.toArray()).length, 5);
  assert.ok(small.id?.isZero(), 'a result that fits the first batch returns cursor id 0');
});

test('interleaved cursors keep their own positions', async () => {
  const a = items().find({}, { batchSize: 5 }).sort({ i: 1 });
  const b = items().find({}, { batchSize: 5 }).sort({ i: -1 });
  const got: Array<[number, number]> = [];
  for (let k = 0; k < 12; k++) got.push([(await a.next())!.i, (await b.next())!.i]);
  assert.deepStrictEqual(
    got,
    Array.from({ length: 12 }, (_, k) => [k, N - 1 - k]),
  );
  await a.close();
  await b.close();
});

test('aggregate cursors batch through getMore too', async () => {
  const mark = started.length;
  const rows = await db
    .collection('items')
    .aggregate([{ $match: { even: false } }, { $project: { _id: 0, i: 1 } }, { $sort: { i: 1 } }], { batchSize: 50 })
    .toArray();
  assert.equal(rows.length, N / 2);
  assert.deepStrictEqual(rows.slice(0, 3), [{ i: 1 }, { i: 3 }, { i: 5 }]);
  assert.ok(since(mark, 'getMore').length >= 10);
});

test('w:0 (moreToCome) writes get no reply and are visible to the next read on the same connection', async () => {
  const single = new MongoClient(tdb.uri, { maxPoolSize: 1 });
  await single.connect();
  try {
    const coll = single.db(tdb.dbName).collection<{ _id: string; v?: number; k?: number }>('unacked');
    const res = await coll.insertOne({ _id: 'w0', v: 1 }, { writeConcern: { w: 0 } });
    assert.equal(res.acknowledged, false);
    assert.deepStrictEqual(await coll.findOne({ _id: 'w0' }), { _id: 'w0', v: 1 });
    for (let k = 0; k < 20; k++) await coll.insertOne({ _id: `m${k}`, k }, { writeConcern: { w: 0 } });
    await coll.updateOne({ _id: 'w0' }, { $inc: { v: 1 } }, { writeConcern: { w: 0 } });
    await coll.insertMany([{ _id: 'x1' }, { _id: 'x2' }], { writeConcern: { w: 0 } });
    await coll.deleteOne({ _id: 'm0' }, { writeConcern: { w: 0 } });
    assert.equal(await coll.countDocuments({}), 1 + 20 + 2 - 1);
    assert.equal((await coll.findOne({ _id: 'w0' }))?.v, 2);
    // A failing unacknowledged write reports nothing and breaks nothing.
    await coll.insertOne({ _id: 'w0' }, { writeConcern: { w: 0 } });
    assert.equal(await coll.countDocuments({ _id: 'w0' }), 1);
    assert.equal((await single.db(tdb.dbName).command({ ping: 1 })).ok, 1);
  } finally {
    await single.close();
  }
});

test('counts, distinct and listIndexes/listCollections cursors through the driver', async () => {
  const coll = items();
  assert.equal(await coll.countDocuments({ even: true }), N / 2);
  assert.equal(await coll.estimatedDocumentCount(), N);
  assert.deepStrictEqual((await coll.distinct('even')).sort(), [false, true]);
  await coll.createIndex({ even: 1, i: -1 }, { name: 'even_i' });
  const idx = await coll.listIndexes().toArray();
  assert.deepStrictEqual(idx.map((i) => i.name).sort(), ['_id_', 'even_i']);
  const colls = await db.listCollections({}, { nameOnly: true }).toArray();
  assert.ok(colls.some((c) => c.name === 'items'));
});

test('numeric BSON types survive a round trip: int32, double (even 1.0), int64', async () => {
  const c = db.collection<any>('numtypes');
  await c.insertOne({
    _id: 1,
    i: new Int32(1),
    d: new Double(1),
    d2: new Double(2.5),
    l: Long.fromNumber(1),
    big: Long.MAX_VALUE,
  });
  const raw = await c.findOne({ _id: 1 }, { promoteValues: false, promoteLongs: false });
  assert.ok(raw?.i instanceof Int32, `i is Int32 (got ${raw?.i?._bsontype})`);
  assert.ok(raw?.d instanceof Double, `d is Double (got ${raw?.d?._bsontype})`);
  assert.ok(raw?.d2 instanceof Double, `d2 is Double (got ${raw?.d2?._bsontype})`);
  assert.ok(raw?.l instanceof Long, `l is Long (got ${raw?.l?._bsontype})`);
  assert.ok(raw?.big instanceof Long && raw.big.equals(Long.MAX_VALUE));
  for (const [field, type] of [
    ['i', 'int'],
    ['d', 'double'],
    ['l', 'long'],
  ] as const) {
    assert.equal(
      await c.countDocuments({ _id: 1, [field]: { $type: type } }),
      1,
      `${field} matches {$type: '${type}'}`,
    );
  }
});

test('documents of several MiB each round-trip and are split across batches', async () => {
  const c = db.collection<any>('bigdocs');
  const pad = 'x'.repeat(6 * 1024 * 1024);
  await c.insertMany([0, 1, 2, 3].map((k) => ({ _id: k, pad: pad + k })));
  const mark = started.length;
  const docs = await c.find({}).sort({ _id: 1 }).toArray();
  assert.deepStrictEqual(
    docs.map((d) => [d._id, d.pad.length, d.pad.at(-1)]),
    [0, 1, 2, 3].map((k) => [k, pad.length + 1, String(k)]),
  );
  assert.ok(
    since(mark, 'getMore').length >= 1,
    'a reply batch stays under 16 MiB, so 24 MiB of documents need getMore',
  );
});

test('hundreds of concurrent operations over one pool all complete correctly', async () => {
  const c = db.collection<any>('parallel');
  const results = await Promise.all(
    Array.from({ length: 400 }, (_, i) =>
      c
        .insertOne({ _id: i, i })
        .then(() => c.findOneAndUpdate({ _id: i }, { $inc: { i: 1 } }, { returnDocument: 'after' })),
    ),
  );
  assert.deepStrictEqual(
    results.map((d) => d?.i),
    Array.from({ length: 400 }, (_, i) => i + 1),
  );
  assert.equal(await c.countDocuments({}), 400);
});
