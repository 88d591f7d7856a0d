// Up-front validation through the real mongodb driver: unknown query operators and pipeline stages are refused
// with MongoDB's codes before anything is read, so an empty or missing collection answers the same error; Atlas
// Search commands answer SearchNotEnabled.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useDriver } from './helpers/driver.js';

const engine = useDriver('validate');

type Err = Error & { code?: number };
const refused = (code: number, msg: RegExp) => (e: Err) => e.code === code && msg.test(e.message);

test('unknown query operators are refused on a missing collection', async () => {
  const c = engine.db.collection<any>('missing');
  const top = refused(2, /^unknown top level operator: \$foo$/);
  const field = refused(2, /^unknown operator: \$foo$/);
  await assert.rejects(c.find({ $foo: 1 }).toArray(), top);
  await assert.rejects(c.find({ a: { $foo: 1 } }).toArray(), field);
  await assert.rejects(c.find({ $or: [{ a: 1 }, { b: { $foo: 1 } }] }).toArray(), field);
  await assert.rejects(c.find({ a: { $elemMatch: { b: { $foo: 1 } } } }).toArray(), field);
  await assert.rejects(c.find({ a: { $not: { $foo: 1 } } }).toArray(), field);
  await assert.rejects(c.deleteMany({ $foo: 1 }), top);
  await assert.rejects(c.updateMany({ a: { $foo: 1 } }, { $set: { b: 1 } }), field);
  await assert.rejects(c.countDocuments({ a: { $foo: 1 } }), field);
  await assert.rejects(c.aggregate([{ $match: { a: { $foo: 1 } } }]).toArray(), field);
  await assert.rejects(c.find({ $and: [] }).toArray(), refused(2, /non-empty array/));
});

test('valid filters, literal documents and DBRefs are still accepted', async () => {
  const c = engine.db.collection<any>('ok');
  await c.insertOne({ _id: 1, a: { b: 1 }, r: { $ref: 'x', $id: 1 }, l: [{ n: 1 }] });
  assert.equal((await c.find({ a: { b: 1 } }).toArray()).length, 1);
  assert.equal((await c.find({ r: { $ref: 'x', $id: 1 } }).toArray()).length, 1);
  assert.equal((await c.find({ l: { $elemMatch: { n: { $gte: 1 } } } }).toArray()).length, 1);
  assert.equal((await c.find({ $expr: { $eq: ['$_id', 1] }, _id: { $in: [1] } }).toArray()).length, 1);
});

test('an unknown pipeline stage answers 40324 on an empty collection', async () => {
  await assert.rejects(
    engine.db
      .collection('missing')
      .aggregate([{ $foo: {} }])
      .toArray(),
    refused(40324, /^Unrecognized pipeline stage name: '\$foo'$/),
  );
});

test('Atlas Search commands and stages answer SearchNotEnabled (31082)', async () => {
  const notEnabled = (e: Err) => e.code === 31082 && /Atlas/.test(e.message);
  const c = engine.db.collection('missing');
  await assert.rejects(c.createSearchIndex({ definition: { mappings: { dynamic: true } } }), notEnabled);
  await assert.rejects(c.dropSearchIndex('x'), notEnabled);
  await assert.rejects(c.listSearchIndexes().toArray(), notEnabled);
});

test('unknown expression operators answer 168 on a missing collection (pipelines, $expr, pipeline updates)', async () => {
  const c = engine.db.collection<any>('missing');
  const expr = refused(168, /^Unrecognized expression '\$foo'$/);
  await assert.rejects(c.aggregate([{ $project: { a: { $foo: 1 } } }]).toArray(), expr);
  await assert.rejects(c.aggregate([{ $addFields: { a: { $add: [1, { $foo: '$x' }] } } }]).toArray(), expr);
  await assert.rejects(c.aggregate([{ $group: { _id: { $foo: '$x' } } }]).toArray(), expr);
  await assert.rejects(c.find({ $expr: { $foo: 1 } }).toArray(), expr);
  await assert.rejects(c.updateOne({ _id: 1 }, [{ $set: { a: { $foo: 1 } } }]), expr);
  await assert.rejects(
    c.aggregate([{ $group: { _id: null, n: { $foo: 1 } } }]).toArray(),
    refused(15952, /unknown group operator '\$foo'/),
  );
  // $literal contents are never operators.
  assert.deepEqual(await c.aggregate([{ $project: { a: { $literal: { $foo: 1 } } } }]).toArray(), []);
});

test('sub-pipelines and $pull conditions are validated up front too', async () => {
  const c = engine.db.collection<any>('missing');
  const field = refused(2, /^unknown operator: \$foo$/);
  await assert.rejects(
    c.aggregate([{ $lookup: { from: 'x', pipeline: [{ $match: { a: { $foo: 1 } } }], as: 'y' } }]).toArray(),
    field,
  );
  await assert.rejects(c.aggregate([{ $facet: { f: [{ $bar: {} }] } }]).toArray(), refused(40324, /'\$bar'/));
  await assert.rejects(
    c.aggregate([{ $unionWith: { coll: 'x', pipeline: [{ $bar: {} }] } }]).toArray(),
    refused(40324, /'\$bar'/),
  );
  await assert.rejects(c.updateOne({ _id: 1 }, { $pull: { a: { $foo: 1 } } as never }), field);
  await assert.rejects(c.updateOne({ _id: 1 }, { $pull: { a: { $or: [{ b: { $foo: 1 } }] } } as never }), field);
});

test('a MongoDB stage the engine lacks is refused as not supported (115), not as unknown', async () => {
  const notSupported = refused(
    115,
    /^\$(collStats|listLocalSessions) is not supported by the embedded database engine$/,
  );
  await assert.rejects(
    engine.db
      .collection('missing')
      .aggregate([{ $collStats: {} }])
      .toArray(),
    notSupported,
  );
  await assert.rejects(engine.db.aggregate([{ $listLocalSessions: {} }]).toArray(), notSupported);
});
