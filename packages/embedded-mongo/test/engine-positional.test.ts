// Several fields under one positional element in one update (`c.$.a` + `c.$.b`, `$[e]`, `$[]`) through the real
// mongodb driver: accepted and applied like MongoDB (only paths that really overlap are a conflict, code 40).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Collection } from 'mongodb';
import { useDriver } from './helpers/driver.js';

let c: Collection<any>;
useDriver('positional', async (engine) => {
  c = engine.db.collection<any>('t');
});

const fresh = async () => {
  await c.deleteMany({});
  await c.insertOne({
    _id: 1,
    c: [
      { k: 1, a: 0, b: 0 },
      { k: 2, a: 0, b: 0 },
    ],
  });
};
const items = async () => ((await c.findOne({ _id: 1 })) as any).c;

test('$set of two fields under the matched element ($)', async () => {
  await fresh();
  await c.updateOne({ 'c.k': 2 }, { $set: { 'c.$.a': 1, 'c.$.b': 2 } });
  assert.deepEqual(await items(), [
    { k: 1, a: 0, b: 0 },
    { k: 2, a: 1, b: 2 },
  ]);
});

test('$set of two fields under filtered ($[e]) and all ($[]) elements', async () => {
  await fresh();
  await c.updateOne({ _id: 1 }, { $set: { 'c.$[e].a': 3, 'c.$[e].b': 4 } }, { arrayFilters: [{ 'e.k': 1 }] });
  assert.deepEqual(await items(), [
    { k: 1, a: 3, b: 4 },
    { k: 2, a: 0, b: 0 },
  ]);
  await c.updateOne({ _id: 1 }, { $set: { 'c.$[].a': 5 }, $inc: { 'c.$[].b': 1 } });
  assert.deepEqual(await items(), [
    { k: 1, a: 5, b: 5 },
    { k: 2, a: 5, b: 1 },
  ]);
});

test('overlapping positional paths are still a conflict', async () => {
  await fresh();
  await assert.rejects(
    c.updateOne({ 'c.k': 2 }, { $set: { 'c.$.a': 1 }, $unset: { 'c.$.a': '' } }),
    (e: Error & { code?: number }) => e.code === 40,
  );
});
