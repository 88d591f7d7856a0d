// Query/update/aggregation semantics of the embedded engine through the real mongodb driver: cursors and Int64
// ids, duplicate-key errors, upserts with $setOnInsert, arrayFilters, positional $, pipeline updates, _id
// immutability, unsupported operators, BSON value equality/sorting, $count on empty input, no aliasing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
// Values the driver hands back are instances of the driver's (CommonJS) bson build, so take the classes from
// 'mongodb' for instanceof checks (an ESM `import from 'bson'` is a second module instance).
import { Binary, Decimal128, Double, Long, MongoClient, ObjectId, UUID, type Db } from 'mongodb';
import { startEmbeddedServer, type EmbeddedServer } from '../src/index.js';

let server: EmbeddedServer;
let client: MongoClient;
let db: Db;

// Loosely typed collection handle: these tests store arbitrary shapes (numeric/string _ids, mixed fields).
const coll = (name: string) => db.collection<any>(name);

before(async () => {
  server = await startEmbeddedServer();
  client = await MongoClient.connect(server.uri);
  db = client.db('crud');
});
after(async () => {
  await client.close();
  await server.close();
});

type ServerErr = Error & {
  code?: number;
  codeName?: string;
  errmsg?: string;
  keyValue?: unknown;
  keyPattern?: unknown;
};

test('find: filter, projection, sort, skip, limit', async () => {
  const c = coll('people');
  await c.insertMany([
    { name: 'ann', age: 31, tags: ['a', 'b'] },
    { name: 'bob', age: 25, tags: ['b'] },
    { name: 'cid', age: 40 },
    { name: 'dee', age: 25, tags: [] },
  ]);
  const rows = await c
    .find({ age: { $gte: 25 } }, { projection: { _id: 0, name: 1 } })
    .sort({ age: 1, name: -1 })
    .skip(1)
    .limit(2)
    .toArray();
  assert.deepEqual(rows, [{ name: 'bob' }, { name: 'ann' }]);
  assert.deepEqual(
    (await c.find({ tags: 'b' }).sort({ name: 1 }).toArray()).map((r) => r.name),
    ['ann', 'bob'],
  );
  assert.equal(await c.countDocuments({ age: 25 }), 2);
  assert.deepEqual(await c.distinct('tags'), ['a', 'b']);
  assert.equal(await c.estimatedDocumentCount(), 4);
});

test('cursors: 101-document first batch, Int64 ids, getMore with batchSize, killCursors', async () => {
  const c = coll('many');
  await c.insertMany(Array.from({ length: 250 }, (_, i) => ({ i })));
  const first = await db.command({ find: 'many', filter: {}, sort: { i: 1 } }, { promoteLongs: false });
  assert.equal(first.cursor.firstBatch.length, 101);
  assert.ok(first.cursor.id instanceof Long, 'cursor id is a BSON Long');
  assert.notEqual(first.cursor.id.toString(), '0');
  const more = await db.command({ getMore: first.cursor.id, collection: 'many', batchSize: 100 });
  assert.equal(more.cursor.nextBatch.length, 100);
  assert.equal(more.cursor.nextBatch[0].i, 101);
  const last = await db.command({ getMore: first.cursor.id, collection: 'many' });
  assert.equal(last.cursor.nextBatch.length, 49);
  assert.equal(last.cursor.id.toString(), '0');
  await assert.rejects(db.command({ getMore: first.cursor.id, collection: 'many' }), (e: ServerErr) => e.code === 43);

  const second = await db.command({ find: 'many', filter: {}, batchSize: 10 });
  assert.equal(second.cursor.firstBatch.length, 10);
  const killed = await db.command({ killCursors: 'many', cursors: [second.cursor.id] });
  assert.equal(killed.cursorsKilled.length, 1);
  await assert.rejects(db.command({ getMore: second.cursor.id, collection: 'many' }), (e: ServerErr) => e.code === 43);

  // the driver iterates through getMore transparently
  assert.equal((await c.find({}, { batchSize: 7 }).toArray()).length, 250);
  const single = await db.command({ find: 'many', filter: {}, limit: 5, singleBatch: true });
  assert.equal(single.cursor.firstBatch.length, 5);
  assert.equal(single.cursor.id.toString(), '0');
});

test('cursor results are a snapshot: later writes do not change a batch in flight', async () => {
  const c = coll('snap');
  await c.insertMany(Array.from({ length: 5 }, (_, i) => ({ _id: i, v: 'old' })));
  const first = await db.command({ find: 'snap', filter: {}, batchSize: 2 });
  await c.updateMany({}, { $set: { v: 'new' } });
  const rest = await db.command({ getMore: first.cursor.id, collection: 'snap' });
  assert.deepEqual(
    rest.cursor.nextBatch.map((d: { v: string }) => d.v),
    ['old', 'old', 'old'],
  );
});

test('duplicate key: exact E11000 message, keyPattern/keyValue, ordered vs unordered inserts', async () => {
  const c = coll('users');
  await c.createIndex({ email: 1 }, { unique: true });
  await c.insertOne({ email: 'a@b.c' });
  await assert.rejects(c.insertOne({ email: 'a@b.c' }), (e: ServerErr) => {
    assert.equal(e.code, 11000);
    assert.equal(
      e.message,
      'E11000 duplicate key error collection: crud.users index: email_1 dup key: { email: "a@b.c" }',
    );
    assert.deepEqual(e.keyPattern, { email: 1 });
    assert.deepEqual(e.keyValue, { email: 'a@b.c' });
    return true;
  });
  const ordered = await c.insertMany([{ email: 'x1' }, { email: 'a@b.c' }, { email: 'x2' }]).catch((e) => e);
  assert.equal(ordered.code, 11000);
  assert.equal(ordered.result.insertedCount, 1);
  const unordered = await c
    .insertMany([{ email: 'y1' }, { email: 'a@b.c' }, { email: 'y2' }], { ordered: false })
    .catch((e) => e);
  assert.equal(unordered.result.insertedCount, 2);
  assert.equal(unordered.writeErrors.length ?? unordered.result.getWriteErrors().length, 1);
  assert.equal(await c.countDocuments({ email: { $in: ['x2'] } }), 0);
  // update into a duplicate, findAndModify into a duplicate
  await assert.rejects(c.updateOne({ email: 'y1' }, { $set: { email: 'a@b.c' } }), (e: ServerErr) => e.code === 11000);
  await assert.rejects(c.findOneAndUpdate({ email: 'y2' }, { $set: { email: 'a@b.c' } }), (e: ServerErr) => {
    assert.equal(e.code, 11000);
    assert.deepEqual(e.keyValue, { email: 'a@b.c' });
    return true;
  });
  // _id duplicates too
  const id = new ObjectId();
  await c.insertOne({ _id: id, email: 'z' });
  await assert.rejects(c.insertOne({ _id: id, email: 'z2' }), (e: ServerErr) =>
    /index: _id_ dup key: \{ _id: ObjectId\('/.test(e.message),
  );
});

test('upsert with $setOnInsert, and updates of existing docs ignore $setOnInsert', async () => {
  const c = coll('sessions');
  const r1 = await c.updateOne(
    { sid: 's1' },
    { $set: { data: 1 }, $setOnInsert: { created: 'first' } },
    { upsert: true },
  );
  assert.equal(r1.upsertedCount, 1);
  assert.ok(r1.upsertedId instanceof ObjectId);
  const r2 = await c.updateOne(
    { sid: 's1' },
    { $set: { data: 2 }, $setOnInsert: { created: 'second' } },
    { upsert: true },
  );
  assert.equal(r2.matchedCount, 1);
  assert.equal(r2.upsertedCount, 0);
  const doc = await c.findOne({ sid: 's1' }, { projection: { _id: 0 } });
  assert.deepEqual(doc, { sid: 's1', data: 2, created: 'first' });
  const noop = await c.updateOne({ sid: 's1' }, { $set: { data: 2 } });
  assert.equal(noop.modifiedCount, 0);
  // replacement upsert keeps the filter _id
  await c.replaceOne({ _id: 'fixed' }, { v: 1 }, { upsert: true });
  assert.deepEqual(await c.findOne({ _id: 'fixed' }), { _id: 'fixed', v: 1 });
  const fam = await c.findOneAndUpdate(
    { sid: 's9' },
    { $setOnInsert: { n: 1 } },
    { upsert: true, returnDocument: 'after' },
  );
  assert.equal(fam?.n, 1);
});

test('arrayFilters, positional $, $push/$pull and pipeline updates', async () => {
  const c = coll('orders');
  await c.insertOne({
    _id: 1,
    items: [
      { sku: 'a', qty: 1 },
      { sku: 'b', qty: 5 },
      { sku: 'c', qty: 9 },
    ],
    tags: ['x'],
  });
  await c.updateOne({ _id: 1 }, { $inc: { 'items.$[big].qty': 100 } }, { arrayFilters: [{ 'big.qty': { $gte: 5 } }] });
  await c.updateOne({ _id: 1, 'items.sku': 'a' }, { $set: { 'items.$.qty': 42 } });
  await c.updateOne({ _id: 1 }, { $push: { tags: { $each: ['y', 'z'] } } } as never);
  await c.updateOne({ _id: 1 }, { $pull: { tags: 'x' } } as never);
  let doc = await c.findOne({ _id: 1 });
  assert.deepEqual(
    doc?.items.map((i: { qty: number }) => i.qty),
    [42, 105, 109],
  );
  assert.deepEqual(doc?.tags, ['y', 'z']);
  await c.updateOne({ _id: 1 }, [
    { $set: { total: { $sum: '$items.qty' }, label: { $concat: ['n', { $toString: '$_id' }] } } },
  ]);
  doc = await c.findOne({ _id: 1 });
  assert.equal(doc?.total, 256);
  assert.equal(doc?.label, 'n1');
});

test('update validation: _id is immutable (66), conflicting paths (40), unknown modifiers', async () => {
  const c = coll('valid');
  await c.insertOne({ _id: 'k', a: 1 });
  await assert.rejects(c.updateOne({ _id: 'k' }, { $set: { _id: 'other' } }), (e: ServerErr) => e.code === 66);
  await c.updateOne({ _id: 'k' }, { $set: { _id: 'k', a: 2 } }); // same _id is fine
  await assert.rejects(c.replaceOne({ _id: 'k' }, { _id: 'zz', a: 3 }), (e: ServerErr) => e.code === 66);
  await assert.rejects(c.updateOne({ _id: 'k' }, { $set: { a: 1 }, $inc: { a: 1 } }), (e: ServerErr) => e.code === 40);
  await assert.rejects(c.updateOne({ _id: 'k' }, { $set: { 'a.b': 1, a: 2 } }), (e: ServerErr) => e.code === 40);
  await assert.rejects(
    db.command({ update: 'valid', updates: [{ q: {}, u: { $frob: { a: 1 } } }] }).then((r) => {
      if (r.writeErrors) throw Object.assign(new Error(r.writeErrors[0].errmsg), { code: r.writeErrors[0].code });
    }),
    (e: ServerErr) => e.code === 9 && /Unknown modifier: \$frob/.test(e.message),
  );
  assert.deepEqual(await c.findOne({ _id: 'k' }), { _id: 'k', a: 2 });
});

test('type errors in updates: non-numeric $inc (14), array operators on non-arrays (2), paths through scalars (28)', async () => {
  const c = coll('typeerr');
  await c.insertOne({ _id: 1, s: 'text', n: 1, arr: [1] });
  await assert.rejects(c.updateOne({ _id: 1 }, { $inc: { s: 1 } }), (e: ServerErr) => e.code === 14);
  await assert.rejects(c.updateOne({ _id: 1 }, { $inc: { n: 'x' } } as never), (e: ServerErr) => e.code === 14);
  await assert.rejects(c.updateOne({ _id: 1 }, { $push: { n: 2 } } as never), (e: ServerErr) => e.code === 2);
  await assert.rejects(c.updateOne({ _id: 1 }, { $set: { 's.deeper': 1 } }), (e: ServerErr) => e.code === 28);
  await c.updateOne({ _id: 1 }, { $set: { 'arr.3': 9 }, $unset: { missing: '' }, $max: { n: 5 }, $min: { m: 2 } });
  assert.deepEqual(await c.findOne({ _id: 1 }), { _id: 1, s: 'text', n: 5, arr: [1, null, null, 9], m: 2 });
  assert.deepEqual((await c.find().sort({ $natural: -1 }).toArray()).length, 1);
});

test('unsupported query / aggregation operators are errors, never silent answers', async () => {
  const c = coll('ops');
  await c.insertOne({ a: 1 });
  await assert.rejects(
    c.find({ a: { $frobnicate: 1 } }).toArray(),
    (e: ServerErr) => e.code === 2 && /\$frobnicate/.test(e.message),
  );
  await assert.rejects(c.aggregate([{ $frobnicate: {} }]).toArray(), (e: ServerErr) => /\$frobnicate/.test(e.message));
  await assert.rejects(c.aggregate([{ $project: { x: { $frobnicate: '$a' } } }]).toArray(), (e: ServerErr) =>
    /\$frobnicate/.test(e.message),
  );
  await assert.rejects(c.aggregate([{ $out: 'elsewhere' }]).toArray(), (e: ServerErr) => /\$out/.test(e.message));
  await assert.rejects(c.find({ $where: 'true' }).toArray());
  await assert.rejects(c.insertOne({ price: Decimal128.fromString('1.5') }), (e: ServerErr) =>
    /Decimal128/.test(e.message),
  );
  await assert.rejects(c.find({ a: 1 }, { collation: { locale: 'en', strength: 2 } }).toArray(), /collation/);
});

test('ObjectId / Date equality, $in with ObjectIds, sorting by ObjectId and Date, $type objectId, $toString', async () => {
  const c = coll('bsonvals');
  const ids = [new ObjectId(), new ObjectId(), new ObjectId()];
  const dates = [new Date('2024-01-01'), new Date('2023-01-01'), new Date('2025-01-01')];
  await c.insertMany(ids.map((id, i) => ({ _id: id, ref: ids[(i + 1) % 3], at: dates[i] })));
  assert.equal((await c.findOne({ ref: new ObjectId(ids[1].toHexString()) }))?._id.toHexString(), ids[0].toHexString());
  assert.equal((await c.findOne({ at: new Date('2023-01-01') }))?._id.toHexString(), ids[1].toHexString());
  assert.equal(
    await c.countDocuments({ _id: { $in: [new ObjectId(ids[0].toHexString()), new ObjectId(ids[2].toHexString())] } }),
    2,
  );
  assert.equal(await c.countDocuments({ ref: { $in: [ids[0]] } }), 1);
  assert.deepEqual(
    (await c.find().sort({ _id: -1 }).toArray()).map((d) => d._id.toHexString()),
    ids.map((i) => i.toHexString()).reverse(),
  );
  assert.deepEqual(
    (await c.find().sort({ at: 1 }).toArray()).map((d) => d.at.toISOString().slice(0, 4)),
    ['2023', '2024', '2025'],
  );
  assert.equal(await c.countDocuments({ _id: { $type: 'objectId' } }), 3);
  assert.equal(await c.countDocuments({ at: { $type: 'date' }, ref: { $type: 7 } }), 3);
  assert.equal(await c.countDocuments({ at: { $gt: new Date('2023-06-01') } }), 2);
  const [agg] = await c
    .aggregate([{ $match: { _id: ids[0] } }, { $project: { s: { $toString: '$_id' }, t: { $type: '$_id' } } }])
    .toArray();
  assert.equal(agg.s, ids[0].toHexString());
  assert.equal(agg.t, 'objectId');
});

test('aggregation: $count on empty input yields no document; stages never mutate stored documents', async () => {
  const c = coll('aggr');
  assert.deepEqual(await c.aggregate([{ $match: { none: true } }, { $count: 'n' }]).toArray(), []);
  await c.insertMany([
    { _id: 1, g: 'a', v: 1, sub: { x: 1 } },
    { _id: 2, g: 'a', v: 2, sub: { x: 2 } },
    { _id: 3, g: 'b', v: 3, sub: { x: 3 } },
  ]);
  assert.deepEqual(await c.aggregate([{ $count: 'n' }]).toArray(), [{ n: 3 }]);
  await c
    .aggregate([{ $addFields: { v: 100, 'sub.x': 'changed' } }, { $unset: 'g' }, { $set: { extra: true } }])
    .toArray();
  await c
    .aggregate([
      { $lookup: { from: 'aggr', localField: 'g', foreignField: 'g', as: 'same' } },
      { $unwind: '$same' },
      { $set: { 'same.v': -1 } },
    ])
    .toArray();
  assert.deepEqual(await c.find().sort({ _id: 1 }).toArray(), [
    { _id: 1, g: 'a', v: 1, sub: { x: 1 } },
    { _id: 2, g: 'a', v: 2, sub: { x: 2 } },
    { _id: 3, g: 'b', v: 3, sub: { x: 3 } },
  ]);
  const groups = await c.aggregate([{ $group: { _id: '$g', total: { $sum: '$v' } } }, { $sort: { _id: 1 } }]).toArray();
  assert.deepEqual(groups, [
    { _id: 'a', total: 3 },
    { _id: 'b', total: 3 },
  ]);
});

test('Binary values compare by their exact bytes (also through $in and unique indexes)', async () => {
  const c = coll('bins');
  await c.createIndex({ token: 1 }, { unique: true });
  // two byte strings whose lossy UTF-8 decodings are identical
  const a = new Binary(Buffer.from([0xff, 0x01]));
  const b = new Binary(Buffer.from([0xfe, 0x01]));
  await c.insertMany([
    { _id: 1, token: a },
    { _id: 2, token: b },
  ]);
  assert.equal(await c.countDocuments({ token: { $in: [new Binary(Buffer.from([0xfe, 0x01]))] } }), 1);
  assert.equal(await c.countDocuments({ $or: [{ token: a }] }), 1);
  const id = new UUID();
  await c.insertOne({ _id: 3, token: id });
  assert.equal((await c.findOne({ token: { $in: [new UUID(id.toHexString())] } }))?._id, 3);
});

test('numeric BSON types survive storage and updates: int32, double, int64', async () => {
  const c = coll('nums');
  await c.insertOne({
    _id: 1,
    i: 1,
    d: new Double(1),
    l: Long.fromNumber(7),
    nested: { l: Long.fromNumber(2) },
    arr: [new Double(3)],
  });
  await c.updateOne({ _id: 1 }, { $inc: { l: 1, 'nested.l': 1, i: 1 }, $set: { d2: new Double(4) } });
  const raw = await c.findOne({ _id: 1 }, { promoteValues: false, promoteLongs: false });
  assert.equal(raw?.i?._bsontype, 'Int32');
  assert.equal(raw?.d?._bsontype, 'Double');
  assert.equal(raw?.d2?._bsontype, 'Double');
  assert.equal(raw?.l?._bsontype, 'Long');
  assert.equal(String(raw?.l), '8');
  assert.equal(raw?.nested?.l?._bsontype, 'Long');
  assert.equal(raw?.arr?.[0]?._bsontype, 'Double');
  assert.equal(await c.countDocuments({ l: 8, d: 1, 'nested.l': { $gt: 2 } }), 1, 'queries see plain numbers');
  assert.equal(await c.countDocuments({ l: { $type: 'long' }, d: { $type: 'double' }, i: { $type: 'int' } }), 1);
  const promoted = await c.findOne({ _id: 1 });
  assert.equal(promoted?.l, 8);
});

test('documents are copied in and out: a client cannot alias stored data', async () => {
  const c = coll('alias');
  const doc = { _id: 1, nested: { v: 1 } };
  await c.insertOne(doc);
  doc.nested.v = 999;
  const read = await c.findOne({ _id: 1 });
  assert.equal(read?.nested.v, 1);
  if (read) read.nested.v = 5;
  assert.equal((await c.findOne({ _id: 1 }))?.nested.v, 1);
});

test('findAndModify: new, sort, fields, remove, upsert', async () => {
  const c = coll('fam');
  await c.insertMany([
    { k: 'a', n: 1 },
    { k: 'a', n: 2 },
    { k: 'b', n: 3 },
  ]);
  const before = await c.findOneAndUpdate({ k: 'a' }, { $inc: { n: 10 } }, { sort: { n: -1 }, projection: { _id: 0 } });
  assert.deepEqual(before, { k: 'a', n: 2 });
  const afterDoc = await c.findOneAndUpdate(
    { k: 'a', n: 1 },
    { $inc: { n: 10 } },
    { returnDocument: 'after', projection: { _id: 0, n: 1 } },
  );
  assert.deepEqual(afterDoc, { n: 11 });
  const removed = await c.findOneAndDelete({ k: 'b' });
  assert.equal(removed?.n, 3);
  assert.equal(await c.countDocuments(), 2);
  const up = await c.findOneAndUpdate(
    { k: 'new' },
    { $set: { n: 0 } },
    { upsert: true, returnDocument: 'after', includeResultMetadata: true },
  );
  assert.equal(up.value?.k, 'new');
  assert.equal(up.lastErrorObject?.updatedExisting, false);
});

test('collections and databases: create (48 when it exists), listCollections, drop, dropDatabase, stats', async () => {
  const other = client.db('ddl');
  await other.createCollection('one');
  await assert.rejects(other.createCollection('one'), (e: ServerErr) => e.code === 48);
  await other.collection('two').insertOne({ a: 1 });
  const names = (await other.listCollections().toArray()).map((c) => c.name).sort();
  assert.deepEqual(names, ['one', 'two']);
  assert.equal((await other.stats()).collections, 2);
  assert.equal((await other.command({ collStats: 'two' })).count, 1);
  assert.equal(await other.collection('one').drop(), true);
  assert.equal(
    await other
      .collection('nope')
      .drop()
      .catch(() => false),
    false,
  );
  const dbs = await client.db().admin().listDatabases();
  assert.ok(dbs.databases.some((d) => d.name === 'ddl'));
  await other.dropDatabase();
  assert.deepEqual(await other.listCollections().toArray(), []);
});

test('projections never change stored documents (nested exclusion and inclusion)', async () => {
  const c = client.db('proj').collection<{ _id: number; sub: { x: number; y: number; deep: { z: number } } }>('p');
  await c.insertOne({ _id: 1, sub: { x: 1, y: 2, deep: { z: 3 } } });
  assert.deepEqual(await c.find({}).project({ 'sub.y': 0, 'sub.deep.z': 0 }).toArray(), [
    { _id: 1, sub: { x: 1, deep: {} } },
  ]);
  assert.deepEqual(await c.findOne({ _id: 1 }, { projection: { 'sub.x': 0 } }), {
    _id: 1,
    sub: { y: 2, deep: { z: 3 } },
  });
  assert.deepEqual(await c.findOne({ _id: 1 }, { projection: { 'sub.x': 1 } }), { _id: 1, sub: { x: 1 } });
  assert.deepEqual(await c.findOne({ _id: 1 }), { _id: 1, sub: { x: 1, y: 2, deep: { z: 3 } } });
});
