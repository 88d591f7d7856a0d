// $push and $addToSet through the real mongodb driver, as MongoDB does them: a missing field is created with every
// $push modifier applied ($sort, $slice, $position) and $addToSet's $each de-duplicated; $addToSet adds what the
// array lacks (field order counts in documents) and never removes duplicates the array already held; a path
// through an array of documents is refused (28).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Collection } from 'mongodb';
import { useDriver } from './helpers/driver.js';

let c: Collection<any>;
useDriver('arrayops', async (engine) => {
  c = engine.db.collection<any>('t');
});

async function after(doc: object, update: object): Promise<{ modified: number; doc: any }> {
  await c.deleteMany({});
  await c.insertOne({ _id: 1, ...doc });
  const r = await c.updateOne({ _id: 1 }, update);
  return { modified: r.modifiedCount, doc: await c.findOne({ _id: 1 }, { projection: { _id: 0 } }) };
}

test('$push to a missing field applies $sort, $slice and $position', async () => {
  assert.deepEqual((await after({}, { $push: { s: { $each: [3, 1, 2], $sort: 1, $slice: 2 } } })).doc, { s: [1, 2] });
  assert.deepEqual((await after({}, { $push: { 'a.b': { $each: [1, 2, 3], $slice: -1 } } })).doc, { a: { b: [3] } });
  assert.deepEqual(
    (await after({ s: [{ n: 2 }] }, { $push: { s: { $each: [{ n: 3 }, { n: 1 }], $sort: { n: -1 } } } })).doc,
    { s: [{ n: 3 }, { n: 2 }, { n: 1 }] },
  );
  assert.deepEqual((await after({ s: [1, 2] }, { $push: { s: { $each: [0], $position: 0 } } })).doc, { s: [0, 1, 2] });
});

test('$addToSet with $each on a missing field stores each distinct value once', async () => {
  assert.deepEqual((await after({}, { $addToSet: { s: { $each: [2, 2, 3] } } })).doc, { s: [2, 3] });
  assert.deepEqual((await after({}, { $addToSet: { 'm.s': { $each: [2, 2] } } })).doc, { m: { s: [2] } });
});

test('$addToSet keeps the duplicates an array already holds and adds what it lacks', async () => {
  const added = await after({ s: [1, 1] }, { $addToSet: { s: 2 } });
  assert.deepEqual(added.doc, { s: [1, 1, 2] });
  assert.equal(added.modified, 1);
  const same = await after({ s: [1, 1] }, { $addToSet: { s: 1 } });
  assert.deepEqual(same.doc, { s: [1, 1] });
  assert.equal(same.modified, 0);
  // Documents are equal only with the same fields in the same order.
  assert.deepEqual((await after({ s: [{ a: 1, b: 2 }] }, { $addToSet: { s: { b: 2, a: 1 } } })).doc.s, [
    { a: 1, b: 2 },
    { b: 2, a: 1 },
  ]);
});

test('$push through an array of documents is refused (28) and changes nothing', async () => {
  await assert.rejects(
    after({ a: [{ x: 1 }] }, { $push: { 'a.b': 1 } }),
    (e: Error & { code?: number }) => e.code === 28,
  );
  assert.deepEqual(await c.findOne({ _id: 1 }, { projection: { _id: 0 } }), { a: [{ x: 1 }] });
  await assert.rejects(
    after({}, { $push: { s: { $each: [1], $bogus: 1 } } }),
    (e: Error & { code?: number }) => e.code === 2 && /Unrecognized clause in \$push: \$bogus/.test(e.message),
  );
});
