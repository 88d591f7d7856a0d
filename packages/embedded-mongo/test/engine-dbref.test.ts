// DBRef fields through the real mongodb driver, as MongoDB queries them: `$ref`/`$id`/`$db` are fields (dotted
// paths, $elemMatch criteria, equality with a whole DBRef), also after a restart from the journal, and a stored
// DBRef comes back as a DBRef.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DBRef, type Collection } from 'mongodb';
import { useDriver } from './helpers/driver.js';
import { Engine } from '../src/engine.js';
import { createFilePersistence } from '../src/persistence/file.js';
import { tempDir } from './fixtures/persistence-util.js';

/** A DBRef to a numeric id (the driver's type only admits ObjectIds; MongoDB takes any value). */
const ref = (coll: string, id: number, db?: string) => new DBRef(coll, id as never, db);

let c: Collection<any>;
useDriver('dbref', async (engine) => {
  c = engine.db.collection<any>('t');
  await c.insertMany([
    { _id: 1, refs: [ref('x', 1), ref('y', 2)], one: ref('x', 5) },
    { _id: 2, refs: [ref('x', 2)], one: ref('z', 5, 'other') },
  ]);
});

const ids = async (filter: object) => (await c.find(filter).sort({ _id: 1 }).toArray()).map((d) => d._id);

test('$elemMatch on DBRef fields matches one element on every named field', async () => {
  assert.deepEqual(await ids({ refs: { $elemMatch: { $id: 2 } } }), [1, 2]);
  assert.deepEqual(await ids({ refs: { $elemMatch: { $ref: 'x', $id: 2 } } }), [2]);
  assert.deepEqual(await ids({ refs: { $elemMatch: { $ref: 'y', $id: { $gt: 1 } } } }), [1]);
  assert.deepEqual(await ids({ refs: { $elemMatch: { $ref: 'y', $id: 1 } } }), []);
});

test('dotted DBRef fields and equality with a whole DBRef', async () => {
  assert.deepEqual(await ids({ 'refs.$id': 2 }), [1, 2]);
  assert.deepEqual(await ids({ 'one.$ref': 'x' }), [1]);
  assert.deepEqual(await ids({ 'one.$db': 'other' }), [2]);
  assert.deepEqual(await ids({ one: ref('x', 5) }), [1]);
  assert.deepEqual(await ids({ one: ref('x', 6) }), []);
});

test('a stored DBRef comes back as a DBRef', async () => {
  const doc = await c.findOne({ _id: 2 });
  assert.ok(doc?.one instanceof DBRef);
  assert.equal(doc.one.collection, 'z');
  assert.equal(doc.one.oid, 5);
  assert.equal(doc.one.db, 'other');
});

test('DBRef fields are still queryable after a restart from the journal', async () => {
  const dir = await tempDir();
  const server = { address: '/tmp/x.sock', setName: 'parley', startedAt: new Date() };
  const conn = { id: 1, remote: 'test' };
  const open = async () => {
    const p = createFilePersistence(dir, { log: () => undefined });
    const e = new Engine(server, p);
    e.load(await p.open());
    return { e, p };
  };
  const a = await open();
  await a.e.execute({ insert: 'r', documents: [{ _id: 1, one: ref('x', 5) }] }, 'd', conn);
  await a.p.close();
  const b = await open();
  const found = await b.e.execute({ find: 'r', filter: { 'one.$id': 5 } }, 'd', conn);
  assert.equal(found.cursor.firstBatch.length, 1);
  await b.p.close();
});
