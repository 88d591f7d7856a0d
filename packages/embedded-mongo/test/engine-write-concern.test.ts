// Write concerns on the engine's one-node replica set through the real mongodb driver, like MongoDB: the write is
// applied, and a `w` the set cannot satisfy (w: 2 and more → 100, an unknown tag set → 79) is reported as a write
// concern error; w: 1 and 'majority' are satisfied.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useDriver } from './helpers/driver.js';

const engine = useDriver('writeconcern');

type Err = Error & { code?: number };

test('w: 1 and majority are satisfied', async () => {
  const c = engine.db.collection<any>('t');
  await c.insertOne({ _id: 1 }, { writeConcern: { w: 1 } });
  await c.insertOne({ _id: 2 }, { writeConcern: { w: 'majority' } });
  assert.equal(await c.countDocuments(), 2);
});

test('an unsatisfiable w is a write concern error, and the write is applied like MongoDB', async () => {
  const c = engine.db.collection<any>('t');
  await assert.rejects(c.insertOne({ _id: 3 }, { writeConcern: { w: 3 } }), (e: Err) => e.code === 100);
  await assert.rejects(
    c.updateOne({ _id: 3 }, { $set: { a: 1 } }, { writeConcern: { w: 'dc' as never } }),
    (e: Err) => e.code === 79,
  );
  assert.deepEqual(await c.findOne({ _id: 3 }), { _id: 3, a: 1 });
  const session = engine.client.startSession();
  try {
    session.startTransaction({ writeConcern: { w: 10 } });
    await c.insertOne({ _id: 4 }, { session });
    await assert.rejects(session.commitTransaction(), (e: Err) => e.code === 100);
  } finally {
    await session.endSession();
  }
  assert.equal(await c.countDocuments({ _id: 4 }), 1);
});
