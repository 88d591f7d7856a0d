// collMod and document validation through the real mongodb driver: validators from create and collMod,
// validationLevel strict/moderate/off, validationAction warn, bypassDocumentValidation, index hidden /
// expireAfterSeconds with their *_old/*_new answers, unsupported options refused, changes surviving a restart.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { MongoClient, type Db } from 'mongodb';
import { startEmbeddedServer, type EmbeddedServer } from '../src/index.js';

let server: EmbeddedServer;
let client: MongoClient;
let db: Db;
const dir = mkdtempSync(join(tmpdir(), 'collmod-'));
type ServerErr = Error & { code?: number };

before(async () => {
  server = await startEmbeddedServer({ dbpath: dir });
  client = await MongoClient.connect(server.uri);
  db = client.db('collmod');
});
after(async () => {
  await client.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const invalid = (e: ServerErr) => e.code === 121 && /Document failed validation/.test(e.message);

test('create with a validator refuses invalid inserts and updates (strict)', async () => {
  const c = await db.createCollection<any>('v', { validator: { age: { $gte: 0 } } });
  await c.insertOne({ _id: 1, age: 3 });
  await assert.rejects(c.insertOne({ _id: 2, age: -1 }), invalid);
  await assert.rejects(c.updateOne({ _id: 1 }, { $set: { age: -5 } }), invalid);
  await c.insertOne({ _id: 3, age: -1 }, { bypassDocumentValidation: true });
  assert.equal(await c.countDocuments(), 2);
});

test('collMod: validator, moderate level lets invalid documents stay invalid, warn accepts', async () => {
  const c = db.collection<any>('m');
  await c.insertMany([
    { _id: 1, n: 'x' },
    { _id: 2, n: 5 },
  ]);
  const r = await db.command({ collMod: 'm', validator: { n: { $type: 'string' } }, validationLevel: 'moderate' });
  assert.equal(r.ok, 1);
  await c.updateOne({ _id: 2 }, { $set: { n: 6 } }); // already invalid: moderate does not check it
  await assert.rejects(c.updateOne({ _id: 1 }, { $set: { n: 1 } }), invalid);
  await assert.rejects(c.insertOne({ n: 1 }), invalid);
  const [info] = await db.listCollections({ name: 'm' }).toArray();
  assert.deepEqual((info as any).options, { validator: { n: { $type: 'string' } }, validationLevel: 'moderate' });
  await db.command({ collMod: 'm', validationAction: 'warn' });
  await c.insertOne({ _id: 9, n: 1 });
  await db.command({ collMod: 'm', validationLevel: 'off', validationAction: 'error' });
  await c.insertOne({ _id: 10, n: 1 });
  await assert.rejects(db.command({ collMod: 'm', validationLevel: 'sometimes' }), (e: ServerErr) => e.code === 2);
});

test('collMod index: hidden and expireAfterSeconds answer old/new values', async () => {
  const c = db.collection<any>('ix');
  await c.createIndex({ a: 1 });
  await c.createIndex({ at: 1 }, { expireAfterSeconds: 60 });
  const h = await db.command({ collMod: 'ix', index: { keyPattern: { a: 1 }, hidden: true } });
  assert.equal(h.hidden_old, false);
  assert.equal(h.hidden_new, true);
  const t = await db.command({ collMod: 'ix', index: { name: 'at_1', expireAfterSeconds: 120 } });
  assert.equal(t.expireAfterSeconds_old, 60);
  assert.equal(t.expireAfterSeconds_new, 120);
  const ixs = await c.listIndexes().toArray();
  assert.deepEqual(
    ixs.map((i) => [i.name, i.hidden ?? false, i.expireAfterSeconds]),
    [
      ['_id_', false, undefined],
      ['a_1', true, undefined],
      ['at_1', false, 120],
    ],
  );
  await assert.rejects(
    db.command({ collMod: 'ix', index: { name: 'nope', hidden: true } }),
    (e: ServerErr) => e.code === 27,
  );
  await assert.rejects(db.command({ collMod: 'ix', index: { name: 'a_1', prepareUnique: true } }), /not supported/);
  await assert.rejects(db.command({ collMod: 'ix', capped: true }), /not supported/);
  await assert.rejects(db.command({ collMod: 'missing', validator: {} }), (e: ServerErr) => e.code === 26);
});

test('collMod changes are journaled and survive a restart', async () => {
  await client.close();
  await server.close();
  server = await startEmbeddedServer({ dbpath: dir });
  client = await MongoClient.connect(server.uri);
  db = client.db('collmod');
  await assert.rejects(db.collection<any>('v').insertOne({ age: -1 }), invalid);
  const ixs = await db.collection('ix').listIndexes().toArray();
  assert.equal(ixs.find((i) => i.name === 'a_1')?.hidden, true);
  assert.equal(ixs.find((i) => i.name === 'at_1')?.expireAfterSeconds, 120);
});
