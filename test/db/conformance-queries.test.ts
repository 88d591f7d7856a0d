// Conformance (part 4): query and update semantics that applications lean on without noticing — missing vs null,
// array matching, BSON type ordering in sorts, update operators, positional updates, find-and-modify variants,
// projections, unique-index edge cases — asserting what a real MongoDB does. Runs against MONGODB_URI when set.
// Must never weaken an assertion to suit the embedded engine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MongoClient, ObjectId, type Collection, type Db, type Document } from 'mongodb';
import { startTestDatabase, type TestDatabase } from '../helpers/db.js';

/** Documents with ids of any type (the driver's default schema assumes ObjectId ids). */
type Doc = any;

let tdb: TestDatabase;
let client: MongoClient;
let db: Db;

before(async () => {
  tdb = await startTestDatabase({ prefix: 'conf_queries' });
  client = new MongoClient(tdb.uri);
  await client.connect();
  db = client.db(tdb.dbName);
});

after(async () => {
  await client?.close();
  await tdb?.close();
});

const ids = (docs: Document[]) => docs.map((d) => d._id);

test('missing vs null, $exists, $ne, $in with null', async () => {
  const c = db.collection<Doc>('nulls');
  await c.insertMany([{ _id: 1, a: null }, { _id: 2 }, { _id: 3, a: 0 }, { _id: 4, a: 'x' }, { _id: 5, a: [null, 1] }]);
  assert.deepStrictEqual(ids(await c.find({ a: null }).sort({ _id: 1 }).toArray()), [1, 2, 5]);
  assert.deepStrictEqual(ids(await c.find({ a: { $exists: false } }).toArray()), [2]);
  assert.deepStrictEqual(
    ids(
      await c
        .find({ a: { $exists: true } })
        .sort({ _id: 1 })
        .toArray(),
    ),
    [1, 3, 4, 5],
  );
  assert.deepStrictEqual(
    ids(
      await c
        .find({ a: { $ne: null } })
        .sort({ _id: 1 })
        .toArray(),
    ),
    [3, 4],
  );
  assert.deepStrictEqual(
    ids(
      await c
        .find({ a: { $in: [null, 'x'] } })
        .sort({ _id: 1 })
        .toArray(),
    ),
    [1, 2, 4, 5],
  );
  assert.deepStrictEqual(
    ids(
      await c
        .find({ a: { $gt: -1 } })
        .sort({ _id: 1 })
        .toArray(),
    ),
    [3, 5],
    'comparisons stay within a type',
  );
});

test('array matching: element equality, $all, $size, $elemMatch, dotted paths into arrays of objects', async () => {
  const c = db.collection<Doc>('arrays');
  await c.insertMany([
    {
      _id: 1,
      tags: ['a', 'b'],
      pts: [1, 5, 9],
      items: [
        { sku: 'x', qty: 1 },
        { sku: 'y', qty: 5 },
      ],
    },
    { _id: 2, tags: ['b'], pts: [4], items: [{ sku: 'x', qty: 5 }] },
    { _id: 3, tags: [], pts: [], items: [] },
    { _id: 4, tags: 'a', pts: 6 },
  ]);
  const q = async (f: Document) => ids(await c.find(f).sort({ _id: 1 }).toArray());
  assert.deepStrictEqual(await q({ tags: 'a' }), [1, 4]);
  assert.deepStrictEqual(await q({ tags: ['b'] }), [2], 'array equality is exact');
  assert.deepStrictEqual(await q({ tags: { $all: ['a', 'b'] } }), [1]);
  assert.deepStrictEqual(await q({ tags: { $size: 0 } }), [3]);
  assert.deepStrictEqual(await q({ pts: { $gt: 3, $lt: 5 } }), [1, 2], 'range on arrays may match different elements');
  assert.deepStrictEqual(await q({ pts: { $elemMatch: { $gt: 3, $lt: 5 } } }), [2]);
  assert.deepStrictEqual(await q({ 'items.sku': 'x', 'items.qty': 5 }), [1, 2]);
  assert.deepStrictEqual(await q({ items: { $elemMatch: { sku: 'x', qty: 5 } } }), [2]);
  assert.deepStrictEqual(await q({ 'items.1.sku': 'y' }), [1]);
  assert.deepStrictEqual(await q({ $or: [{ tags: { $size: 0 } }, { pts: 6 }], _id: { $ne: 99 } }), [3, 4]);
  assert.deepStrictEqual(await q({ $nor: [{ tags: 'a' }, { tags: 'b' }] }), [3]);
  assert.deepStrictEqual(await q({ tags: { $regex: '^A', $options: 'i' } }), [1, 4]);
});

test('sort follows the BSON type order (null/missing < numbers < strings < objects < arrays < ObjectId < bool < Date)', async () => {
  const c = db.collection<Doc>('typesort');
  const oid = new ObjectId('65a1b2c3d4e5f60718293a4b');
  await c.insertMany([
    { _id: 1, v: true },
    { _id: 2, v: 'b' },
    { _id: 3, v: 10 },
    { _id: 4, v: null },
    { _id: 5 },
    { _id: 6, v: new Date('2024-01-01') },
    { _id: 7, v: oid },
    { _id: 8, v: { k: 1 } },
    { _id: 9, v: 2.5 },
    { _id: 10, v: 'a' },
  ]);
  const asc = ids(await c.find({}).sort({ v: 1, _id: 1 }).toArray());
  assert.deepStrictEqual(asc, [4, 5, 9, 3, 10, 2, 8, 7, 1, 6]);
  const desc = ids(await c.find({}).sort({ v: -1, _id: 1 }).toArray());
  assert.deepStrictEqual(desc, [6, 1, 7, 8, 2, 10, 3, 9, 4, 5]);
});

test('update operators: $unset, $pull, $push $each/$slice/$sort, $min/$max, $mul, $rename, $currentDate, dotted $set', async () => {
  const c = db.collection<Doc>('updops');
  await c.insertOne({ _id: 1, a: 1, b: 2, list: [3, 1, 2, 1], lo: 5, hi: 5, price: 2, old: 'x', n: { deep: 1 } });
  await c.updateOne(
    { _id: 1 },
    {
      $unset: { a: '' },
      $pull: { list: 1 } as any,
      $min: { lo: 3 },
      $max: { hi: 3 },
      $mul: { price: 1.5 },
      $rename: { old: 'renamed' },
      $set: { 'n.deeper.x': 1, 'fresh.path': true },
      $currentDate: { touched: true },
    },
  );
  await c.updateOne(
    { _id: 1 },
    { $push: { list: { $each: [9, 0, 4], $sort: 1, $slice: -3 } } as any, $inc: { 'n.deep': 1 } },
  );
  const doc = await c.findOne({ _id: 1 });
  assert.ok(doc!.touched instanceof Date);
  delete doc!.touched;
  assert.deepStrictEqual(doc, {
    _id: 1,
    b: 2,
    list: [3, 4, 9],
    lo: 3,
    hi: 5,
    price: 3,
    n: { deep: 2, deeper: { x: 1 } },
    renamed: 'x',
    fresh: { path: true },
  });
});

test('positional $ and arrayFilters updates', async () => {
  const c = db.collection<Doc>('positional');
  await c.insertOne({
    _id: 1,
    items: [
      { sku: 'a', qty: 1 },
      { sku: 'b', qty: 2 },
      { sku: 'c', qty: 3 },
    ],
  });
  await c.updateOne({ _id: 1, 'items.sku': 'b' }, { $inc: { 'items.$.qty': 10 } });
  await c.updateOne(
    { _id: 1 },
    { $set: { 'items.$[big].flag': true } },
    { arrayFilters: [{ 'big.qty': { $gte: 3 } }] },
  );
  await c.updateOne({ _id: 1 }, { $inc: { 'items.$[].qty': 1 } });
  const doc = await c.findOne({ _id: 1 });
  assert.deepStrictEqual(doc?.items, [
    { sku: 'a', qty: 2 },
    { sku: 'b', qty: 13, flag: true },
    { sku: 'c', qty: 4, flag: true },
  ]);
});

test('upserts: equality fields seed the new document, operators apply, $setOnInsert only on insert', async () => {
  const c = db.collection<Doc>('upserts');
  const r1 = await c.updateOne(
    { key: 'k', 'nested.a': 1, n: { $gt: 5 } },
    { $inc: { count: 1 }, $setOnInsert: { created: true } },
    { upsert: true },
  );
  assert.equal(r1.upsertedCount, 1);
  assert.ok(r1.upsertedId instanceof ObjectId);
  const doc = await c.findOne({ _id: r1.upsertedId! }, { projection: { _id: 0 } });
  assert.deepStrictEqual(doc, { key: 'k', nested: { a: 1 }, count: 1, created: true });
  const r2 = await c.updateOne(
    { key: 'k' },
    { $inc: { count: 1 }, $setOnInsert: { created: false } },
    { upsert: true },
  );
  assert.equal(r2.matchedCount, 1);
  assert.equal(r2.upsertedCount, 0);
  assert.deepStrictEqual(await c.findOne({ key: 'k' }, { projection: { _id: 0, count: 1, created: 1 } }), {
    count: 2,
    created: true,
  });
  const replaced = await c.replaceOne({ key: 'r' }, { key: 'r', v: 1 }, { upsert: true });
  assert.equal(replaced.upsertedCount, 1);
});

test('findOneAndUpdate/Replace/Delete return the right document and honour sort and projection', async () => {
  const c = db.collection<Doc>('fam');
  await c.insertMany([
    { _id: 1, g: 'x', v: 1 },
    { _id: 2, g: 'x', v: 2 },
    { _id: 3, g: 'y', v: 3 },
  ]);
  const before = await c.findOneAndUpdate({ g: 'x' }, { $inc: { v: 10 } }, { sort: { v: -1 }, projection: { v: 1 } });
  assert.deepStrictEqual(before, { _id: 2, v: 2 });
  const after = await c.findOneAndUpdate({ g: 'x' }, { $inc: { v: 10 } }, { sort: { v: 1 }, returnDocument: 'after' });
  assert.deepStrictEqual(after, { _id: 1, g: 'x', v: 11 });
  const rep = await c.findOneAndReplace({ _id: 3 }, { g: 'z' }, { returnDocument: 'after' });
  assert.deepStrictEqual(rep, { _id: 3, g: 'z' }, 'replacement keeps _id');
  const del = await c.findOneAndDelete({ g: 'x' }, { sort: { v: -1 } });
  assert.deepStrictEqual(del, { _id: 2, g: 'x', v: 12 });
  assert.equal(await c.findOneAndDelete({ g: 'nope' }), null);
  assert.deepStrictEqual(ids(await c.find().sort({ _id: 1 }).toArray()), [1, 3]);
});

test('projections: inclusion of nested paths, $slice, $elemMatch, positional', async () => {
  const c = db.collection<Doc>('proj');
  await c.insertOne({ _id: 1, a: { b: 1, c: 2 }, arr: [1, 2, 3, 4], objs: [{ k: 1 }, { k: 2, x: 'y' }], s: 'keep' });
  assert.deepStrictEqual(await c.findOne({}, { projection: { 'a.c': 1, s: 1, _id: 0 } }), { a: { c: 2 }, s: 'keep' });
  assert.deepStrictEqual(await c.findOne({}, { projection: { arr: { $slice: -2 }, _id: 0, s: 1 } }), {
    arr: [3, 4],
    s: 'keep',
  });
  assert.deepStrictEqual(await c.findOne({}, { projection: { objs: { $elemMatch: { k: 2 } } } }), {
    _id: 1,
    objs: [{ k: 2, x: 'y' }],
  });
  assert.deepStrictEqual(await c.findOne({ 'objs.k': 1 }, { projection: { 'objs.$': 1 } }), {
    _id: 1,
    objs: [{ k: 1 }],
  });
  assert.deepStrictEqual(await c.findOne({}, { projection: { a: 0, arr: 0, objs: 0 } }), { _id: 1, s: 'keep' });
});

test('unique index edge cases: missing fields collide as null, sparse allows many, building over duplicates fails', async () => {
  const c = db.collection<Doc>('uniq');
  await c.createIndex({ org: 1, user: 1 }, { unique: true });
  await c.insertOne({ org: 'm' });
  const err = await c.insertOne({ org: 'm' }).catch((e) => e);
  assert.equal(err.code, 11000);
  assert.deepStrictEqual(err.keyValue, { org: 'm', user: null });
  assert.equal(
    err.message,
    `E11000 duplicate key error collection: ${tdb.dbName}.uniq index: org_1_user_1 dup key: { org: "m", user: null }`,
  );
  const sparse = db.collection<Doc>('uniq_sparse');
  await sparse.createIndex({ email: 1 }, { unique: true, sparse: true });
  await sparse.insertMany([{ n: 1 }, { n: 2 }, { email: 'a' }]);
  assert.equal((await sparse.insertOne({ email: 'a' }).catch((e) => e)).code, 11000);
  const dupes = db.collection<Doc>('uniq_build');
  await dupes.insertMany([{ x: 1 }, { x: 1 }]);
  const buildErr = await dupes.createIndex({ x: 1 }, { unique: true }).catch((e) => e);
  assert.equal(buildErr.code, 11000);
  assert.deepStrictEqual(
    (await dupes.listIndexes().toArray()).map((i) => i.name),
    ['_id_'],
  );
});

const badInput: Array<[string, number, RegExp, (c: Collection<Doc>) => Promise<unknown>]> = [
  [
    '$inc on a string',
    14,
    /Cannot apply \$inc to a value of non-numeric type/,
    (c) => c.updateOne({ _id: 1 }, { $inc: { n: 1 } }),
  ],
  [
    '$push onto a non-array',
    2,
    /The field 'arr' must be an array but is of type int/,
    (c) => c.updateOne({ _id: 1 }, { $push: { arr: 1 } as any }),
  ],
  [
    '$set and $inc on one path',
    40,
    /would create a conflict at 'n'/,
    (c) => c.updateOne({ _id: 1 }, { $set: { n: 1 }, $inc: { n: 1 } }),
  ],
  ['$set of _id', 66, /would modify the immutable field '_id'/, (c) => c.updateOne({ _id: 1 }, { $set: { _id: 2 } })],
  ['an unknown query operator', 2, /unknown operator: \$bogus/, (c) => c.find({ n: { $bogus: 1 } }).toArray()],
];
for (const [what, code, message, run] of badInput) {
  test(`bad input (${what}) fails with code ${code} and changes nothing`, async () => {
    const c = db.collection<Doc>(`errs_${code}_${what.length}`);
    await c.insertOne({ _id: 1, n: 'text', arr: 5 });
    const err = await run(c).then(
      (res) => assert.fail(`expected error ${code}, got success: ${JSON.stringify(res)}`),
      (e: { code: number; message: string }) => e,
    );
    assert.equal(err.code, code);
    assert.match(err.message, message);
    assert.deepStrictEqual(await c.findOne({ _id: 1 }), { _id: 1, n: 'text', arr: 5 });
  });
}
