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

test('every positional path is resolved against the document before the update (the matched field may change)', async () => {
  await fresh();
  await c.updateOne({ 'c.k': 2 }, { $inc: { 'c.$.k': 1, 'c.$.b': 1 } });
  assert.deepEqual(await items(), [
    { k: 1, a: 0, b: 0 },
    { k: 3, a: 0, b: 1 },
  ]);
  await fresh();
  await c.updateOne({ _id: 1 }, { $set: { 'c.$[e].k': 9, 'c.$[e].b': 4 } }, { arrayFilters: [{ 'e.k': 1 }] });
  assert.deepEqual(await items(), [
    { k: 9, a: 0, b: 4 },
    { k: 2, a: 0, b: 0 },
  ]);
});

test('positional paths that select the same element as a plain path are a conflict (40), nothing changed', async () => {
  await fresh();
  await assert.rejects(
    c.updateOne({ _id: 1 }, { $set: { 'c.$[].b': 1, 'c.0.b': 2 } }),
    (e: Error & { code?: number }) => e.code === 40 && /conflict at 'c\.0\.b'/.test(e.message),
  );
  assert.deepEqual(await items(), [
    { k: 1, a: 0, b: 0 },
    { k: 2, a: 0, b: 0 },
  ]);
});

test('arrayFilters: an unused filter (9) and an identifier without one (2) are refused even when nothing matches', async () => {
  await fresh();
  const none = { _id: 'absent' };
  await assert.rejects(
    c.updateOne(none, { $set: { a: 1 } }, { arrayFilters: [{ 'e.k': 1 }] }),
    (e: Error & { code?: number }) => e.code === 9 && /identifier 'e' was not used/.test(e.message),
  );
  await assert.rejects(
    c.updateOne(none, { $set: { 'c.$[e].a': 1 } }),
    (e: Error & { code?: number }) => e.code === 2 && /No array filter found for identifier 'e'/.test(e.message),
  );
  await assert.rejects(
    c.updateOne(none, { $set: { 'c.$[e].a': 1 } }, { arrayFilters: [{ 'e.k': { $foo: 1 } }] }),
    (e: Error & { code?: number }) => e.code === 2 && /unknown operator: \$foo/.test(e.message),
  );
});
