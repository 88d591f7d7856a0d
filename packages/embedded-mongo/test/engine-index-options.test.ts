// Index options MongoDB refuses, through the real mongodb driver: sparse + partialFilterExpression (67),
// unique hashed (16764), partial filters with unsupported expressions (67); and `$regex` inside `$in` in a
// query (BadValue "cannot nest $ under $in").
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useDriver } from './helpers/driver.js';

const engine = useDriver('ixopts');

type Err = Error & { code?: number };
const code = (n: number, re?: RegExp) => (e: Err) => e.code === n && (!re || re.test(e.message));

test('refused index options', async () => {
  const c = engine.db.collection('t');
  await assert.rejects(
    c.createIndex({ a: 1 }, { sparse: true, partialFilterExpression: { a: { $exists: true } } }),
    code(67, /cannot mix "partialFilterExpression" and "sparse"/),
  );
  await assert.rejects(c.createIndex({ a: 'hashed' }, { unique: true }), code(16764, /hashed indexes/));
  for (const partialFilterExpression of [{ a: { $ne: 1 } }, { a: { $exists: false } }, { $nor: [{ a: 1 }] }]) {
    await assert.rejects(c.createIndex({ a: 1 }, { partialFilterExpression }), code(67, /not supported in partial/));
  }
  await c.createIndex({ a: 1 }, { partialFilterExpression: { a: { $gt: 1 }, $or: [{ b: 1 }, { c: { $in: [1] } }] } });
});

test('$regex inside $in is refused', async () => {
  await assert.rejects(
    engine.db
      .collection('t')
      .find({ a: { $in: [{ $regex: 'x' }] } })
      .toArray(),
    code(2, /cannot nest \$ under \$in/),
  );
  assert.deepEqual(
    await engine.db
      .collection('t')
      .find({ a: { $in: [/x/] } })
      .toArray(),
    [],
  );
});
