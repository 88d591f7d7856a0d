// $slice and $elemMatch projections through the real mongodb driver: a projection of only $slice (and exclusions)
// keeps every other field, like MongoDB; combined with inclusions it keeps only those; an $elemMatch of operators
// only ({$gt: 2}) tests the elements themselves.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Collection } from 'mongodb';
import { useDriver } from './helpers/driver.js';

let c: Collection<any>;
useDriver('projection', async (engine) => {
  c = engine.db.collection<any>('t');
  await c.insertOne({ _id: 1, a: [1, 2, 3, 4], b: 'x', n: { arr: [5, 6, 7] } });
});

const one = async (projection: any) => (await c.find({ _id: 1 }, { projection }).toArray())[0];

test('a $slice-only projection keeps the other fields', async () => {
  assert.deepEqual(await one({ a: { $slice: 2 } }), { _id: 1, a: [1, 2], b: 'x', n: { arr: [5, 6, 7] } });
  assert.deepEqual(await one({ a: { $slice: -1 }, 'n.arr': { $slice: [1, 1] } }), {
    _id: 1,
    a: [4],
    b: 'x',
    n: { arr: [6] },
  });
  assert.deepEqual(await one({ a: { $slice: [-3, 2] }, b: 0 }), { _id: 1, a: [2, 3], n: { arr: [5, 6, 7] } });
});

test('$slice with an inclusion keeps only the included fields', async () => {
  assert.deepEqual(await one({ a: { $slice: 1 }, b: 1 }), { _id: 1, a: [1], b: 'x' });
});

test('an $elemMatch projection with operator-only criteria tests the elements themselves', async () => {
  assert.deepEqual(await one({ a: { $elemMatch: { $gt: 2 } } }), { _id: 1, a: [3] });
  assert.deepEqual(await one({ a: { $elemMatch: { $gt: 9 } } }), { _id: 1 });
});
