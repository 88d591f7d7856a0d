// Snapshot read concern outside a transaction through the real mongodb driver: the engine has no point-in-time
// reads, so a snapshot session's find/aggregate/distinct is refused as not supported (238) instead of answering
// newer data, and a write sent with it is refused like MongoDB does (InvalidOptions 72) and changes nothing;
// other read concerns and snapshot transactions still work.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useDriver } from './helpers/driver.js';

const engine = useDriver('readconcern', async (e) => {
  await e.db.collection<any>('t').insertOne({ _id: 1, x: 11 });
});

type Err = Error & { code?: number };

test('snapshot reads outside a transaction are refused as not supported, never answered with newer data', async () => {
  const session = engine.client.startSession({ snapshot: true });
  const c = engine.db.collection<any>('t');
  try {
    const unsupported = (e: Err) => e.code === 238 && /not supported by the embedded database engine/.test(e.message);
    await assert.rejects(c.find({}, { session }).toArray(), unsupported);
    await assert.rejects(c.aggregate([], { session }).toArray(), unsupported);
    await assert.rejects(c.distinct('x', {}, { session }), unsupported);
    await assert.rejects(c.insertOne({ _id: 2 }, { session }), (e: Err) => e.code === 72);
    assert.equal(await c.countDocuments({ _id: 2 }), 0);
  } finally {
    await session.endSession();
  }
});

test('other read concerns still read, and so does a transaction with snapshot read concern', async () => {
  const c = engine.db.collection<any>('t');
  assert.equal((await c.find({}, { readConcern: { level: 'majority' } }).toArray()).length, 1);
  const session = engine.client.startSession();
  try {
    await session.withTransaction(
      async () => {
        assert.equal((await c.find({}, { session }).toArray()).length, 1);
      },
      { readConcern: { level: 'snapshot' } },
    );
  } finally {
    await session.endSession();
  }
});
