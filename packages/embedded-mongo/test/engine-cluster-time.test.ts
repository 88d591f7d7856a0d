// Cluster time and snapshot reads through the real mongodb driver: operationTime / $clusterTime on replies
// (advancing with writes), causally consistent sessions (afterClusterTime), snapshot sessions (atClusterTime
// answered and re-sent), readConcern snapshot outside sessions, SnapshotTooOld once a later write happened,
// snapshot refused on commands that do not support it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MongoClient, Timestamp, type Db } from 'mongodb';
import { startEmbeddedServer, type EmbeddedServer } from '../src/index.js';

let server: EmbeddedServer;
let client: MongoClient;
let db: Db;
type ServerErr = Error & { code?: number };

before(async () => {
  server = await startEmbeddedServer();
  client = await MongoClient.connect(server.uri);
  db = client.db('clustertime');
});
after(async () => {
  await client.close();
  await server.close();
});

test('replies carry operationTime and $clusterTime; writes advance them', async () => {
  const a = await db.command({ ping: 1 });
  assert.ok(a.operationTime instanceof Timestamp);
  assert.ok(a.$clusterTime.clusterTime instanceof Timestamp);
  await db.collection('t').insertOne({ x: 1 });
  const b = await db.command({ ping: 1 });
  assert.ok(b.operationTime.greaterThan(a.operationTime));
  const c = await db.command({ ping: 1 });
  assert.ok(c.operationTime.equals(b.operationTime));
});

test('causally consistent session: reads send afterClusterTime and see the session writes', async () => {
  const session = client.startSession({ causalConsistency: true });
  try {
    await db.collection('cc').insertOne({ _id: 1 } as any, { session });
    assert.ok(session.operationTime instanceof Timestamp);
    assert.deepEqual(await db.collection('cc').findOne({}, { session }), { _id: 1 });
  } finally {
    await session.endSession();
  }
});

test('snapshot session: atClusterTime is answered and reused; a later write makes it SnapshotTooOld', async () => {
  const c = db.collection<any>('snap');
  await c.insertMany([{ _id: 1 }, { _id: 2 }]);
  const session = client.startSession({ snapshot: true });
  try {
    assert.equal((await c.find({}, { session }).toArray()).length, 2);
    assert.ok((session as unknown as { snapshotTime?: unknown }).snapshotTime instanceof Timestamp);
    assert.deepEqual(await c.distinct('_id', {}, { session }), [1, 2]);
    assert.equal((await c.aggregate([{ $match: {} }], { session }).toArray()).length, 2);
    await c.insertOne({ _id: 3 });
    await assert.rejects(c.find({}, { session }).toArray(), (e: ServerErr) => e.code === 239);
  } finally {
    await session.endSession();
  }
});

test('readConcern snapshot outside a session: answered with atClusterTime; refused on count', async () => {
  await db.collection('rc').insertOne({ a: 1 });
  const r = await db.command({ find: 'rc', filter: {}, readConcern: { level: 'snapshot' } });
  assert.ok(r.cursor.atClusterTime instanceof Timestamp);
  const d = await db.command({ distinct: 'rc', key: 'a', readConcern: { level: 'snapshot' } });
  assert.ok(d.atClusterTime instanceof Timestamp);
  await assert.rejects(
    db.command({ count: 'rc', readConcern: { level: 'snapshot' } }),
    (e: ServerErr) => e.code === 72,
  );
});
