// Transactions and durability hooks of the embedded engine: mongoose sessions (commit, abort, withTransaction,
// read isolation from outside readers, write conflicts) and the Persistence contract (replay on start, records
// committed before the reply, one batch per transaction, compaction between commands, close()).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import mongoose from 'mongoose';
import { startEmbeddedServer, type EmbeddedServer, type JournalRecord, type Persistence } from '../src/index.js';

let server: EmbeddedServer;
let conn: mongoose.Connection;

interface AccountDoc {
  owner: string;
  balance: number;
}
const accountSchema = new mongoose.Schema<AccountDoc>({ owner: { type: String, unique: true }, balance: Number });

before(async () => {
  server = await startEmbeddedServer();
  conn = await mongoose.createConnection(server.uri, { dbName: 'txn' }).asPromise();
});
after(async () => {
  await conn.close();
  await server.close();
});

test('withTransaction commits every write together', async () => {
  const Account = conn.model<AccountDoc>('Account', accountSchema);
  await Account.init();
  await Account.create([
    { owner: 'a', balance: 100 },
    { owner: 'b', balance: 0 },
  ]);
  const session = await conn.startSession();
  await session.withTransaction(async () => {
    await Account.updateOne({ owner: 'a' }, { $inc: { balance: -30 } }, { session });
    assert.equal(
      (await Account.findOne({ owner: 'a' }).session(session).lean())?.balance,
      70,
      'reads in the txn see its writes',
    );
    assert.equal((await Account.findOne({ owner: 'a' }).lean())?.balance, 100, 'readers outside do not');
    await Account.updateOne({ owner: 'b' }, { $inc: { balance: 30 } }, { session });
    await Account.create([{ owner: 'c', balance: 5 }], { session });
    assert.equal(await Account.countDocuments({ owner: 'c' }), 0);
  });
  await session.endSession();
  const rows = await Account.find().sort({ owner: 1 }).lean();
  assert.deepEqual(
    rows.map((r) => [r.owner, r.balance]),
    [
      ['a', 70],
      ['b', 30],
      ['c', 5],
    ],
  );
});

test('abortTransaction rolls back inserts, updates and deletes', async () => {
  const Account = conn.model<AccountDoc>('Account');
  const session = await conn.startSession();
  session.startTransaction();
  await Account.updateOne({ owner: 'a' }, { $set: { balance: -1 } }, { session });
  await Account.create([{ owner: 'tmp', balance: 1 }], { session });
  await Account.deleteOne({ owner: 'b' }, { session });
  assert.equal(await Account.countDocuments({}).session(session), 3);
  await session.abortTransaction();
  await session.endSession();
  const rows = await Account.find().sort({ owner: 1 }).lean();
  assert.deepEqual(
    rows.map((r) => [r.owner, r.balance]),
    [
      ['a', 70],
      ['b', 30],
      ['c', 5],
    ],
  );
  // the unique index is consistent again: 'tmp' is free
  await Account.create({ owner: 'tmp', balance: 0 });
  await Account.deleteOne({ owner: 'tmp' });
});

test('an error inside connection.transaction() aborts it', async () => {
  const Account = conn.model<AccountDoc>('Account');
  await assert.rejects(
    conn.transaction(async (session) => {
      await Account.updateOne({ owner: 'c' }, { $inc: { balance: 100 } }, { session });
      throw new Error('boom');
    }),
    /boom/,
  );
  assert.equal((await Account.findOne({ owner: 'c' }).lean())?.balance, 5);
});

test('an autocommit write to a document held by an open transaction waits for it', async () => {
  const Account = conn.model<AccountDoc>('Account');
  const session = await conn.startSession();
  session.startTransaction();
  await Account.updateOne({ owner: 'a' }, { $inc: { balance: 1 } }, { session });
  const outside = Account.updateOne({ owner: 'a' }, { $inc: { balance: 10 } });
  await new Promise((r) => setTimeout(r, 50));
  await session.commitTransaction();
  await session.endSession();
  await outside;
  assert.equal((await Account.findOne({ owner: 'a' }).lean())?.balance, 81);
});

test('two transactions writing the same document: the second gets a transient WriteConflict and retries', async () => {
  const Account = conn.model<AccountDoc>('Account');
  const s1 = await conn.startSession();
  s1.startTransaction();
  await Account.updateOne({ owner: 'b' }, { $inc: { balance: 1 } }, { session: s1 });
  const s2 = await conn.startSession();
  let attempts = 0;
  const second = s2.withTransaction(async () => {
    attempts++;
    await Account.updateOne({ owner: 'b' }, { $inc: { balance: 2 } }, { session: s2 });
  });
  await new Promise((r) => setTimeout(r, 30));
  await s1.commitTransaction();
  await second;
  await s1.endSession();
  await s2.endSession();
  assert.ok(attempts >= 2, `expected a retry, got ${attempts} attempt(s)`);
  assert.equal((await Account.findOne({ owner: 'b' }).lean())?.balance, 33);
});

/** A Persistence double that records what the engine does with it. */
function fakePersistence(initial: JournalRecord[]) {
  const commits: JournalRecord[][] = [];
  let release: (() => void) | null = null;
  let hold = false;
  let compactWanted = false;
  const compacted: JournalRecord[][] = [];
  let closed = false;
  const p: Persistence = {
    async open() {
      return initial;
    },
    async commit(records) {
      commits.push(records);
      if (hold) await new Promise<void>((r) => (release = r));
    },
    async compact(state) {
      compactWanted = false;
      compacted.push([...state()]);
    },
    shouldCompact: () => compactWanted,
    async close() {
      closed = true;
    },
  };
  return {
    p,
    commits,
    compacted,
    hold: (v: boolean) => (hold = v),
    release: () => release?.(),
    wantCompaction: () => (compactWanted = true),
    isClosed: () => closed,
  };
}

test('persistence: replay on start, commit before reply, one batch per transaction, compaction, close', async () => {
  const fake = fakePersistence([
    { t: 'createColl', db: 'p', coll: 'items' },
    { t: 'createIndex', db: 'p', coll: 'items', spec: { name: 'sku_1', key: { sku: 1 }, unique: true } },
    { t: 'put', db: 'p', coll: 'items', doc: { _id: 1, sku: 'x' } },
    { t: 'put', db: 'p', coll: 'items', doc: { _id: 2, sku: 'y' } },
    { t: 'del', db: 'p', coll: 'items', id: 2 },
  ]);
  const srv = await startEmbeddedServer({ persistence: fake.p });
  const c = await mongoose.createConnection(srv.uri, { dbName: 'p' }).asPromise();
  try {
    const items = c.db!.collection('items');
    assert.deepEqual(await items.find().toArray(), [{ _id: 1, sku: 'x' }]);
    await assert.rejects(items.insertOne({ sku: 'x' }), /E11000/);

    fake.hold(true);
    let replied = false;
    const pending = items.insertOne({ _id: 3, sku: 'z' } as never).then(() => (replied = true));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(replied, false, 'no reply before the journal commit resolves');
    fake.hold(false);
    fake.release();
    await pending;
    const last = fake.commits[fake.commits.length - 1];
    // A retryable write (the driver's default) is journaled with the reply that answers its retries.
    assert.deepEqual(
      last.filter((r) => r.t !== 'retry'),
      [{ t: 'put', db: 'p', coll: 'items', doc: { _id: 3, sku: 'z' } }],
    );
    assert.deepEqual(
      last.filter((r) => r.t === 'retry').map((r) => r.t),
      ['retry'],
    );

    const before = fake.commits.length;
    const session = c.startSession ? await c.startSession() : null;
    await session!.withTransaction(async () => {
      await items.updateOne({ _id: 1 as never }, { $set: { n: 1 } }, { session: session! });
      await items.deleteOne({ _id: 3 as never }, { session: session! });
      assert.equal(fake.commits.length, before, 'nothing journaled before commitTransaction');
    });
    await session!.endSession();
    assert.equal(fake.commits.length, before + 1);
    assert.deepEqual(
      fake.commits[before].map((r) => r.t),
      ['put', 'del'],
    );

    // a compaction while a transaction is open dumps the committed state only
    const open = c.startSession ? await c.startSession() : null;
    open!.startTransaction();
    await items.updateOne({ _id: 1 as never }, { $set: { n: 'uncommitted' } }, { session: open! });
    await items.insertOne({ _id: 99, sku: 'uncommitted' } as never, { session: open! });
    fake.wantCompaction();
    await items.findOne({});
    assert.equal(fake.compacted.length, 1);
    const during = fake.compacted[0].filter((r) => r.t === 'put').map((r) => (r as unknown as { doc: unknown }).doc);
    assert.deepEqual(during, [{ _id: 1, sku: 'x', n: 1 }]);
    await open!.abortTransaction();
    await open!.endSession();
    fake.compacted.length = 0;

    fake.wantCompaction();
    await items.insertOne({ _id: 4, sku: 'w' } as never);
    await items.findOne({});
    assert.equal(fake.compacted.length, 1);
    const dump = fake.compacted[0];
    assert.deepEqual(
      dump.slice(0, 2).map((r) => r.t),
      ['createColl', 'createIndex'],
    );
    assert.deepEqual(
      dump.filter((r) => r.t === 'put').map((r) => (r as unknown as { doc: { _id: number } }).doc._id),
      [1, 4],
    );
  } finally {
    await c.close();
    await srv.close();
  }
  assert.equal(fake.isClosed(), true);
});
