// MongoDB's size limits through the real mongodb driver: no stored document may pass 16 MiB (insert, update,
// replace, upsert answer BSONObjectTooLarge, code 10334, and the stored document stays readable), a command body
// past 16 MiB + 16 KiB is refused whole with the same code, and a wire message past 48 MB closes the connection
// instead of being executed.
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { useDriver } from './helpers/driver.js';

const engine = useDriver('limits');

const MiB = 1024 * 1024;
type Err = Error & { code?: number; codeName?: string; writeErrors?: { code: number }[] };
const codeOf = (e: Err): number | undefined => e.code ?? e.writeErrors?.[0]?.code;

test('an insert of a document over 16 MiB is refused with BSONObjectTooLarge', async () => {
  // Just over the document limit, still inside the command body's 16 KiB allowance: the document gets the error.
  const r = await engine.db.command({ insert: 'big', documents: [{ _id: 1, s: 'x'.repeat(16 * MiB + 1000) }] });
  assert.equal(r.n, 0);
  assert.equal(r.writeErrors[0].code, 10334);
  assert.equal(r.writeErrors[0].codeName, 'BSONObjectTooLarge');
  assert.equal(await engine.db.collection('big').countDocuments(), 0);
});

test('a command body over 16 MiB + 16 KiB is refused whole, like MongoDB, and nothing of it is applied', async () => {
  // A raw insert carries its documents inside the command body: 16 documents of 1 MiB and one of 100 KB are a
  // ~16.1 MiB body — over MongoDB's limit, still under what the driver can serialize.
  const documents = Array.from({ length: 17 }, (_, i) => ({ _id: i, s: 'x'.repeat(i === 16 ? 100_000 : MiB) }));
  await assert.rejects(engine.db.command({ insert: 'body', documents }), (e: Err) => e.code === 10334);
  assert.equal(await engine.db.collection('body').countDocuments(), 0);
  // Just under the limit is fine.
  const r = await engine.db.command({ insert: 'body', documents: documents.slice(0, 15) });
  assert.equal(r.n, 15);
});

test('an update growing a document past 16 MiB is refused and the document stays readable', async () => {
  const c = engine.db.collection<any>('grow');
  await c.insertOne({ _id: 1, a: 'a'.repeat(9 * MiB) });
  await assert.rejects(
    c.updateOne({ _id: 1 }, { $set: { b: 'b'.repeat(7.5 * MiB) } }),
    (e: Err) => codeOf(e) === 10334,
  );
  await assert.rejects(
    c.findOneAndUpdate({ _id: 1 }, { $set: { b: 'b'.repeat(7.5 * MiB) } }),
    (e: Err) => codeOf(e) === 10334 && e.codeName === 'BSONObjectTooLarge',
  );
  await assert.rejects(
    c.replaceOne({ _id: 1 }, { a: 'a'.repeat(9 * MiB), b: 'b'.repeat(7.5 * MiB) }),
    (e: Err) => codeOf(e) === 10334,
  );
  await assert.rejects(
    c.updateOne({ _id: 2 }, { $set: { a: 'a'.repeat(9 * MiB), b: 'b'.repeat(7.5 * MiB) } }, { upsert: true }),
    (e: Err) => codeOf(e) === 10334,
  );
  const docs = await c.find({}).toArray();
  assert.equal(docs.length, 1);
  assert.equal(docs[0].a.length, 9 * MiB);
  assert.equal(docs[0].b, undefined);
});

test('a wire message longer than 48 MB closes the connection', async () => {
  const sock = net.createConnection(engine.server.socketPath);
  await new Promise((r) => sock.once('connect', r));
  const header = Buffer.alloc(16);
  header.writeInt32LE(48_000_001, 0);
  header.writeInt32LE(2013, 12);
  const closed = new Promise((r) => sock.once('close', r));
  sock.write(header);
  await closed;
  assert.equal(await engine.db.collection('big').countDocuments(), 0); // the server still serves others
});
