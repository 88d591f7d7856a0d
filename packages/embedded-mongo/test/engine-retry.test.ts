// Retryable writes: the same write resent with one lsid + txnNumber (what the driver does after a dropped
// connection) is answered from memory, not applied twice, also after a restart from the journal; an older
// txnNumber is refused with TransactionTooOld (225); a new txnNumber runs; a retry arriving while the first attempt
// still runs waits for it; remembered replies are bounded in bytes. Drives the Engine and the RetryTable directly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Long, UUID, type Document } from 'bson';
import { Engine } from '../src/engine.js';
import { RetryTable } from '../src/retry.js';
import { createFilePersistence } from '../src/persistence/file.js';
import { tempDir } from './fixtures/persistence-util.js';

const conn = { id: 1, remote: 'test' };
const server = { address: '/tmp/x.sock', setName: 'parley', startedAt: new Date() };

async function open(dir: string): Promise<{ engine: Engine; close(): Promise<void> }> {
  const p = createFilePersistence(dir, { log: () => undefined });
  const engine = new Engine(server, p);
  engine.load(await p.open());
  return { engine, close: () => p.close() };
}

const lsid = { id: new UUID() };
const run = (e: Engine, cmd: Document) => e.execute(cmd, 'retry', conn);
const count = async (e: Engine, filter: Document = {}) => (await run(e, { count: 'c', query: filter })).n as number;

test('a resent insert/update/delete/findAndModify is applied once and answered with the first reply', async () => {
  const dir = await tempDir();
  const { engine, close } = await open(dir);
  const ins = {
    insert: 'c',
    documents: [
      { _id: 1, n: 0 },
      { _id: 2, n: 0 },
    ],
    lsid,
    txnNumber: new Long(1),
  };
  assert.equal((await run(engine, ins)).n, 2);
  const again = await run(engine, ins);
  assert.equal(again.ok, 1);
  assert.equal(again.n, 2);
  assert.equal(again.writeErrors, undefined);
  const inc = { update: 'c', updates: [{ q: { _id: 1 }, u: { $inc: { n: 1 } } }], lsid, txnNumber: new Long(2) };
  await run(engine, inc);
  const inc2 = await run(engine, inc);
  assert.equal(inc2.nModified, 1);
  const fam = { findAndModify: 'c', query: { _id: 2 }, update: { $inc: { n: 5 } }, new: true, lsid, txnNumber: 3 };
  assert.equal((await run(engine, fam)).value.n, 5);
  assert.equal((await run(engine, fam)).value.n, 5);
  const found = await run(engine, { find: 'c', filter: {}, sort: { _id: 1 } });
  assert.deepEqual(
    found.cursor.firstBatch.map((d: Document) => d.n),
    [1, 5],
  );
  // An older txnNumber on the same session is refused; a newer one runs.
  const old = await run(engine, { ...inc, txnNumber: new Long(1) });
  assert.equal(old.code, 225);
  assert.equal(old.codeName, 'TransactionTooOld');
  await run(engine, { delete: 'c', deletes: [{ q: { _id: 1 }, limit: 1 }], lsid, txnNumber: 4 });
  assert.equal((await run(engine, { delete: 'c', deletes: [{ q: {}, limit: 0 }], lsid, txnNumber: 4 })).n, 1);
  assert.equal(await count(engine), 1);
  await close();
});

test('a retry after a restart is still deduplicated when the journal has the write', async () => {
  const dir = await tempDir();
  const a = await open(dir);
  const s = { id: new UUID() };
  const inc = { update: 'c', updates: [{ q: { _id: 1 }, u: { $inc: { n: 1 } }, upsert: true }], lsid: s, txnNumber: 7 };
  await run(a.engine, inc);
  await a.close();
  const b = await open(dir);
  const retried = await run(b.engine, inc);
  assert.equal(retried.n, 1);
  assert.equal((await run(b.engine, { find: 'c', filter: { _id: 1 } })).cursor.firstBatch[0].n, 1);
  await run(b.engine, { ...inc, txnNumber: 8 });
  assert.equal((await run(b.engine, { find: 'c', filter: { _id: 1 } })).cursor.firstBatch[0].n, 2);
  await b.close();
});

test('a retry arriving while the first attempt still waits (blocked by a transaction) is not applied twice', async () => {
  const engine = new Engine(server, null);
  await run(engine, { insert: 'c', documents: [{ _id: 1, n: 0 }] });
  const holder = { id: new UUID() };
  const open = await run(engine, {
    update: 'c',
    updates: [{ q: { _id: 1 }, u: { $set: { held: true } } }],
    lsid: holder,
    txnNumber: 1,
    autocommit: false,
    startTransaction: true,
  });
  assert.equal(open.ok, 1);
  const s = { id: new UUID() };
  const inc = { update: 'c', updates: [{ q: { _id: 1 }, u: { $inc: { n: 1 } } }], lsid: s, txnNumber: 1 };
  // Both attempts wait for the transaction holding the document; the second is the driver's retry.
  const first = run(engine, inc);
  const second = run(engine, inc);
  await new Promise((r) => setTimeout(r, 20));
  await run(engine, { abortTransaction: 1, lsid: holder, txnNumber: 1, autocommit: false });
  const [a, b] = await Promise.all([first, second]);
  assert.equal(a.nModified, 1);
  assert.equal(b.nModified, 1);
  assert.equal((await run(engine, { find: 'c', filter: { _id: 1 } })).cursor.firstBatch[0].n, 1);
  engine.shutdown();
});

test('remembered replies are bounded in bytes: the oldest sessions are forgotten first', async () => {
  const table = new RetryTable();
  const big = 'x'.repeat(1024 * 1024);
  for (let i = 0; i < 80; i++) {
    const a = table.begin(`s${i}`, 1);
    a.remember({ lastErrorObject: { n: 1 }, value: { _id: i, big }, ok: 1 });
    a.settle();
  }
  assert.ok(table.size.bytes <= 64 * 1024 * 1024, `held ${table.size.bytes} bytes`);
  assert.ok(table.size.sessions < 80);
  assert.equal(table.lookup('s0', 1), null); // forgotten: a retry would run again
  assert.equal((table.lookup('s79', 1) as Document).value._id, 79);
});
