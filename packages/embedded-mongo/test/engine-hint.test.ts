// A find's hint through the real mongodb driver, as MongoDB applies it: without a sort, documents come back in the
// hinted index's order (by key pattern or name; a missing field sorts first), `{$natural: -1}` is insertion order
// backwards, and a hint naming no index is refused (BadValue 2).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Collection } from 'mongodb';
import { useDriver } from './helpers/driver.js';

let c: Collection<any>;
useDriver('hint', async (engine) => {
  c = engine.db.collection<any>('t');
  await c.insertMany([{ _id: 1, a: 3 }, { _id: 2, a: 1 }, { _id: 3, a: 2 }, { _id: 4 }]);
  await c.createIndex({ a: 1 });
  await c.createIndex({ a: -1, _id: 1 }, { name: 'a_desc' });
});

const ids = (docs: { _id: number }[]) => docs.map((d) => d._id);

test('a hinted find without a sort returns the index order', async () => {
  assert.deepEqual(ids(await c.find({}).hint({ a: 1 }).toArray()), [4, 2, 3, 1]);
  assert.deepEqual(ids(await c.find({}).hint('a_desc').toArray()), [1, 3, 2, 4]);
  assert.deepEqual(
    ids(
      await c
        .find({ a: { $gte: 2 } })
        .hint({ a: 1 })
        .toArray(),
    ),
    [3, 1],
  );
  assert.deepEqual(ids(await c.find({}).hint({ a: 1 }).limit(2).toArray()), [4, 2]);
  // An explicit sort still wins.
  assert.deepEqual(ids(await c.find({}).hint({ a: 1 }).sort({ _id: -1 }).toArray()), [4, 3, 2, 1]);
});

test('{$natural: -1} is insertion order backwards', async () => {
  assert.deepEqual(ids(await c.find({}).hint({ $natural: -1 }).toArray()), [4, 3, 2, 1]);
  assert.deepEqual(ids(await c.find({}).hint({ $natural: -1 }).skip(1).limit(2).toArray()), [3, 2]);
});

test('a hint that names no index is refused', async () => {
  await assert.rejects(
    c.find({}).hint({ zz: 1 }).toArray(),
    (e: Error & { code?: number }) =>
      e.code === 2 && /hint provided does not correspond to an existing index/.test(e.message),
  );
  await assert.rejects(c.find({}).hint('nope').toArray(), (e: Error & { code?: number }) => e.code === 2);
});
