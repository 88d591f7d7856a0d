// $-prefixed field names through the real mongodb driver, as MongoDB 5.0+ stores them: allowed at the top level
// and in embedded documents, refused inside _id (DollarPrefixedFieldName, 52).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Collection } from 'mongodb';
import { useDriver } from './helpers/driver.js';

let c: Collection<any>;
useDriver('dollars', async (engine) => {
  c = engine.db.collection<any>('t');
});

test('top-level and embedded $-prefixed fields are stored', async () => {
  await c.insertOne({ _id: 1, $a: 1, b: { $c: 2 } });
  assert.deepEqual(await c.findOne({ _id: 1 }), { _id: 1, $a: 1, b: { $c: 2 } });
});

test('$-prefixed fields inside _id are refused', async () => {
  for (const _id of [{ $a: 1 }, { x: { $b: 1 } }]) {
    await assert.rejects(c.insertOne({ _id }), (e: Error & { code?: number }) => e.code === 52);
  }
  assert.equal(await c.countDocuments({ _id: { $ne: 1 } }), 0);
});
