// Transaction rules of MongoDB through the real mongodb driver: a statement that fails inside a transaction
// aborts it (its earlier writes are rolled back, the next statement gets NoSuchTransaction with the
// TransientTransactionError label), and `count` is refused inside one (OperationNotSupportedInTransaction).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MongoClient, type Db } from 'mongodb';
import { startEmbeddedServer, type EmbeddedServer } from '../src/index.js';

let server: EmbeddedServer;
let client: MongoClient;
let db: Db;

before(async () => {
  server = await startEmbeddedServer();
  client = await MongoClient.connect(server.uri);
  db = client.db('txnrules');
  await db.createCollection('t');
});
after(async () => {
  await client.close();
  await server.close();
});

type Err = Error & { code?: number; codeName?: string; hasErrorLabel(l: string): boolean };

test('a write error inside a transaction aborts it', async () => {
  const c = db.collection<any>('t');
  const s = client.startSession();
  s.startTransaction();
  await c.insertOne({ _id: 1 }, { session: s });
  await assert.rejects(c.insertOne({ _id: 1 }, { session: s }), /E11000/);
  await assert.rejects(
    c.insertOne({ _id: 2 }, { session: s }),
    (e: Err) => e.codeName === 'NoSuchTransaction' && e.hasErrorLabel('TransientTransactionError'),
  );
  await s.abortTransaction();
  await s.endSession();
  assert.deepEqual(await c.find().toArray(), []);
});

test('count is refused inside a transaction', async () => {
  const s = client.startSession();
  s.startTransaction();
  await assert.rejects(
    db.command({ count: 't', query: {} }, { session: s }),
    (e: Err) => e.code === 263 && e.codeName === 'OperationNotSupportedInTransaction',
  );
  await s.abortTransaction().catch(() => {});
  await s.endSession();
});
