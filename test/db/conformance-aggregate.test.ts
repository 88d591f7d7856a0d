// Conformance (part 2): aggregation pipelines ($match/$group/$sort/$lookup/$unwind/$project/$facet, plus
// $count/$limit/$skip/$addFields) and multi-document transactions (commit, abort, withTransaction, read isolation)
// through mongoose, asserting what a real MongoDB does. Runs against MONGODB_URI when set (transactions then need a
// replica set). Must never weaken an assertion to suit the embedded engine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import mongoose, { Schema, type Connection } from 'mongoose';
import { startTestDatabase, type TestDatabase } from '../helpers/db.js';

let db: TestDatabase;
let conn: Connection;

const customerSchema = new Schema({ name: String, city: String, vip: Boolean });
const orderSchema = new Schema({
  customer: { type: Schema.Types.ObjectId, ref: 'Customer' },
  amount: Number,
  items: [String],
  at: Date,
});
const accountSchema = new Schema({ owner: { type: String, unique: true }, balance: Number });
const Customer = () => conn.models.Customer ?? conn.model('Customer', customerSchema, 'customers');
const Order = () => conn.models.Order ?? conn.model('Order', orderSchema, 'orders');
const Account = () => conn.models.Account ?? conn.model('Account', accountSchema, 'accounts');

let ids: Record<string, mongoose.Types.ObjectId> = {};

before(async () => {
  db = await startTestDatabase({ prefix: 'conf_agg' });
  conn = await mongoose.createConnection(db.uri, { dbName: db.dbName }).asPromise();
  for (const m of [Customer(), Order(), Account()]) await m.init();
  const [ann, bob, cid] = await Customer().create([
    { name: 'Ann', city: 'Oslo', vip: true },
    { name: 'Bob', city: 'Rome', vip: false },
    { name: 'Cid', city: 'Oslo', vip: false },
  ]);
  ids = { ann: ann._id, bob: bob._id, cid: cid._id };
  await Order().insertMany([
    { customer: ann._id, amount: 10, items: ['tea', 'cake'], at: new Date('2024-01-01') },
    { customer: ann._id, amount: 30, items: ['tea'], at: new Date('2024-01-03') },
    { customer: bob._id, amount: 25, items: ['coffee', 'cake', 'tea'], at: new Date('2024-01-02') },
    { customer: bob._id, amount: 5, items: [], at: new Date('2024-01-04') },
  ]);
});

after(async () => {
  await conn?.close();
  await db?.close();
});

test('$match + $group + $sort with accumulators', async () => {
  const rows = await Order().aggregate([
    { $match: { amount: { $gte: 5 } } },
    {
      $group: {
        _id: '$customer',
        total: { $sum: '$amount' },
        n: { $sum: 1 },
        avg: { $avg: '$amount' },
        max: { $max: '$amount' },
        first: { $min: '$at' },
        items: { $push: '$amount' },
      },
    },
    { $sort: { total: -1 } },
  ]);
  assert.deepStrictEqual(
    rows.map((r) => [String(r._id), r.total, r.n, r.avg, r.max, r.first.toISOString()]),
    [
      [String(ids.ann), 40, 2, 20, 30, '2024-01-01T00:00:00.000Z'],
      [String(ids.bob), 30, 2, 15, 25, '2024-01-02T00:00:00.000Z'],
    ],
  );
  const all = await Order().aggregate([{ $group: { _id: null, sum: { $sum: '$amount' } } }]);
  assert.deepStrictEqual(all, [{ _id: null, sum: 70 }]);
});

test('$lookup + $unwind + $project joins orders to customers', async () => {
  const rows = await Order().aggregate([
    { $sort: { at: 1 } },
    { $lookup: { from: 'customers', localField: 'customer', foreignField: '_id', as: 'c' } },
    { $unwind: '$c' },
    { $project: { _id: 0, name: '$c.name', city: '$c.city', amount: 1, nItems: { $size: '$items' } } },
  ]);
  assert.deepStrictEqual(rows, [
    { amount: 10, name: 'Ann', city: 'Oslo', nItems: 2 },
    { amount: 25, name: 'Bob', city: 'Rome', nItems: 3 },
    { amount: 30, name: 'Ann', city: 'Oslo', nItems: 1 },
    { amount: 5, name: 'Bob', city: 'Rome', nItems: 0 },
  ]);
  const perCustomer = await Customer().aggregate([
    { $lookup: { from: 'orders', localField: '_id', foreignField: 'customer', as: 'orders' } },
    { $project: { _id: 0, name: 1, orders: { $size: '$orders' } } },
    { $sort: { name: 1 } },
  ]);
  assert.deepStrictEqual(perCustomer, [
    { name: 'Ann', orders: 2 },
    { name: 'Bob', orders: 2 },
    { name: 'Cid', orders: 0 },
  ]);
});

test('$unwind of arrays (dropping empties unless preserveNullAndEmptyArrays) then $group', async () => {
  const counts = await Order().aggregate([
    { $unwind: '$items' },
    { $group: { _id: '$items', n: { $sum: 1 } } },
    { $sort: { n: -1, _id: 1 } },
  ]);
  assert.deepStrictEqual(counts, [
    { _id: 'tea', n: 3 },
    { _id: 'cake', n: 2 },
    { _id: 'coffee', n: 1 },
  ]);
  const kept = await Order().aggregate([
    { $unwind: { path: '$items', preserveNullAndEmptyArrays: true } },
    { $count: 'n' },
  ]);
  assert.deepStrictEqual(kept, [{ n: 7 }]);
});

test('$facet runs sub-pipelines over the same input', async () => {
  const [out] = await Order().aggregate([
    { $match: { amount: { $gt: 0 } } },
    {
      $facet: {
        total: [{ $count: 'n' }],
        top: [{ $sort: { amount: -1 } }, { $limit: 2 }, { $project: { _id: 0, amount: 1 } }],
        page: [{ $sort: { amount: 1 } }, { $skip: 1 }, { $limit: 1 }, { $project: { _id: 0, amount: 1 } }],
        byBucket: [
          { $addFields: { big: { $gte: ['$amount', 20] } } },
          { $group: { _id: '$big', n: { $sum: 1 } } },
          { $sort: { _id: 1 } },
        ],
      },
    },
  ]);
  assert.deepStrictEqual(out, {
    total: [{ n: 4 }],
    top: [{ amount: 30 }, { amount: 25 }],
    page: [{ amount: 10 }],
    byBucket: [
      { _id: false, n: 2 },
      { _id: true, n: 2 },
    ],
  });
});

test('transaction commit via connection.transaction() makes all writes visible together', async () => {
  const A = Account();
  await A.create([
    { owner: 'tx-a', balance: 100 },
    { owner: 'tx-b', balance: 0 },
  ]);
  await conn.transaction(async (session) => {
    await A.updateOne({ owner: 'tx-a' }, { $inc: { balance: -40 } }, { session });
    // Outside the transaction the change is not visible yet.
    assert.equal((await A.findOne({ owner: 'tx-a' }).lean())?.balance, 100);
    assert.equal((await A.findOne({ owner: 'tx-a' }).session(session).lean())?.balance, 60);
    await A.updateOne({ owner: 'tx-b' }, { $inc: { balance: 40 } }, { session });
    await A.create([{ owner: 'tx-c', balance: 1 }], { session });
  });
  const rows = await A.find({ owner: /^tx-/ }).sort({ owner: 1 }).lean();
  assert.deepStrictEqual(
    rows.map((r) => [r.owner, r.balance]),
    [
      ['tx-a', 60],
      ['tx-b', 40],
      ['tx-c', 1],
    ],
  );
});

test('transaction abort (error thrown inside) rolls every write back', async () => {
  const A = Account();
  await A.create({ owner: 'ab-a', balance: 10 });
  await assert.rejects(
    conn.transaction(async (session) => {
      await A.updateOne({ owner: 'ab-a' }, { $inc: { balance: 5 } }, { session });
      await A.create([{ owner: 'ab-new', balance: 1 }], { session });
      await A.deleteOne({ owner: 'ab-a' }, { session });
      throw new Error('boom');
    }),
    /boom/,
  );
  const rows = await A.find({ owner: /^ab-/ }).lean();
  assert.deepStrictEqual(
    rows.map((r) => [r.owner, r.balance]),
    [['ab-a', 10]],
  );
});

test('session.withTransaction commits; explicit abortTransaction discards', async () => {
  const A = Account();
  const session = await conn.startSession();
  try {
    await session.withTransaction(async () => {
      await A.create([{ owner: 'wt-1', balance: 1 }], { session });
      await A.updateOne({ owner: 'wt-1' }, { $set: { balance: 2 } }, { session });
    });
    assert.equal((await A.findOne({ owner: 'wt-1' }).lean())?.balance, 2);
    session.startTransaction();
    await A.create([{ owner: 'wt-2', balance: 1 }], { session });
    await session.abortTransaction();
    assert.equal(await A.countDocuments({ owner: 'wt-2' }), 0);
  } finally {
    await session.endSession();
  }
});

test('a duplicate key inside a transaction aborts it as a whole', async () => {
  const A = Account();
  await A.create({ owner: 'dk-1', balance: 0 });
  const err = await conn
    .transaction(async (session) => {
      await A.create([{ owner: 'dk-2', balance: 0 }], { session });
      await A.create([{ owner: 'dk-1', balance: 0 }], { session });
    })
    .catch((e) => e);
  assert.equal(err.code, 11000);
  assert.equal(await A.countDocuments({ owner: 'dk-2' }), 0);
});

test('two open transactions writing one document: the second fails with WriteConflict (112), retryable', async () => {
  const A = Account();
  await A.create({ owner: 'wc', balance: 0 });
  const s1 = await conn.startSession();
  const s2 = await conn.startSession();
  try {
    s1.startTransaction();
    s2.startTransaction();
    await A.updateOne({ owner: 'wc' }, { $inc: { balance: 1 } }, { session: s1 });
    const err = await A.updateOne({ owner: 'wc' }, { $inc: { balance: 10 } }, { session: s2 }).catch((e) => e);
    assert.equal(err?.code, 112, `expected WriteConflict, got ${err?.code ?? JSON.stringify(err)}`);
    assert.equal(err.codeName, 'WriteConflict');
    assert.ok(err.hasErrorLabel('TransientTransactionError'), 'labelled TransientTransactionError');
    await s2.abortTransaction().catch(() => undefined);
    await s1.commitTransaction();
    assert.equal((await A.findOne({ owner: 'wc' }).lean())?.balance, 1);
  } finally {
    await s1.endSession();
    await s2.endSession();
  }
});
