// Unit tests of the embedded engine's file persistence (record format and BSON round trip, group commit, close,
// compaction and its crash points), with no engine involved. Torn tails, corruption and the lock are in
// persistence-recovery.test.ts. Must never touch folders outside its own temp directories.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  Binary,
  Code,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
  UUID,
  serialize,
  type Document,
} from 'bson';
import type { JournalRecord } from '../src/persistence/types.js';
import { canonical, dump, idKey, openStore, replay, stateOf, tempDir } from './fixtures/persistence-util.js';

const richDoc = (): Document => ({
  _id: new ObjectId('65a1b2c3d4e5f60718293a4b'),
  str: 'héllo ✓ 𝄞',
  empty: '',
  int: 42,
  neg: -7,
  big: 2 ** 40,
  dbl: 1.5,
  negZero: -0,
  nan: NaN,
  inf: -Infinity,
  long: Long.fromString('9007199254740993'),
  smallLong: Long.fromNumber(5),
  dec: Decimal128.fromString('1.10'),
  date: new Date('2024-05-06T07:08:09.123Z'),
  oldDate: new Date(-86400000),
  t: true,
  f: false,
  nul: null,
  bin: new Binary(Buffer.from([0, 1, 2, 255])),
  uuid: new UUID('01234567-89ab-4def-8123-456789abcdef'),
  fn: new Binary(Buffer.from('x'), 0x80),
  ts: new Timestamp({ t: 1700000000, i: 7 }),
  min: new MinKey(),
  max: new MaxKey(),
  re: /ab+c/im,
  code: new Code('function () { return 1 }'),
  nested: { a: [1, [2, [3, { b: [] }]], { c: {} }], 'dotted.key': 1, $dollar: 2 },
  arr: [[], [[]], [null, 'x']],
});

test('every BSON type round-trips exactly through the journal', async () => {
  const dir = await tempDir();
  const recs: JournalRecord[] = [
    { t: 'createColl', db: 'd', coll: 'c' },
    {
      t: 'createColl',
      db: 'd',
      coll: 'capped',
      options: { capped: true, size: 4096, validator: { a: { $type: 'string' } } },
    },
    {
      t: 'createIndex',
      db: 'd',
      coll: 'c',
      spec: { name: 'a_1_b_-1', key: { a: 1, b: -1 }, unique: true, partialFilterExpression: { a: { $gt: 1 } } },
    },
    { t: 'createIndex', db: 'd', coll: 'c', spec: { name: 'exp_1', key: { exp: 1 }, expireAfterSeconds: 3600 } },
    { t: 'put', db: 'd', coll: 'c', doc: richDoc() },
    { t: 'del', db: 'd', coll: 'c', id: new ObjectId('65a1b2c3d4e5f60718293a4c') },
    { t: 'del', db: 'd', coll: 'c', id: { compound: [1, 'two'] } },
    { t: 'del', db: 'd', coll: 'c', id: 'string-id' },
    { t: 'del', db: 'd', coll: 'c', id: 17 },
    { t: 'del', db: 'd', coll: 'c', id: Long.fromString('-9223372036854775808') },
    { t: 'dropIndex', db: 'd', coll: 'c', name: 'exp_1' },
    { t: 'dropColl', db: 'd', coll: 'capped' },
    { t: 'dropDb', db: 'other' },
  ];
  const { p } = await openStore(dir);
  await p.commit(recs.slice(0, 4));
  await p.commit(recs.slice(4));
  await p.close();
  const { p: p2, records } = await openStore(dir);
  await p2.close();
  assert.equal(records.length, recs.length);
  // Everything but `put` documents comes back with plain JS numbers, exactly as written.
  assert.deepStrictEqual(
    records.filter((r) => r.t !== 'put'),
    recs.filter((r) => r.t !== 'put'),
  );
  // `put` documents come back with their exact BSON types (what the engine's wire layer would give it): same bytes.
  for (let i = 0; i < recs.length; i++) {
    assert.ok(
      Buffer.from(serialize(records[i])).equals(Buffer.from(serialize(recs[i]))),
      `record ${i} BSON bytes differ`,
    );
  }
  const doc = (records[4] as { doc: Document }).doc;
  assert.ok(doc.int instanceof Int32 && doc.int.value === 42, 'int32 stays Int32');
  assert.ok(doc.dbl instanceof Double && doc.dbl.value === 1.5, 'double stays Double');
  assert.ok(doc.long instanceof Long && doc.long.toString() === '9007199254740993', 'int64 stays Long');
  assert.ok(doc.smallLong instanceof Long, 'a small int64 stays Long');
  assert.ok(doc.negZero instanceof Double && Object.is(doc.negZero.value, -0), '-0 keeps its sign');
  assert.ok(doc.bin instanceof Binary && doc.date instanceof Date && doc._id instanceof ObjectId);
  assert.ok(!('options' in records[0]), 'an absent createColl options stays absent');
});

// The same promotions the driver (and the engine's wire layer) apply: wrappers and the deprecated symbol type become
// plain JS values; nothing the engine can hold after reading the wire changes.
test('numbers come back with their exact BSON type (wrappers or plain JS numbers alike)', async () => {
  const dir = await tempDir();
  const { p } = await openStore(dir);
  const doc = { _id: 1, d: new Double(2.5), one: new Double(1), i: new Int32(3), n: 7, f: 2.5, l: Long.fromNumber(1) };
  await p.commit([{ t: 'put', db: 'd', coll: 'c', doc }]);
  await p.close();
  const { p: p2, records } = await openStore(dir);
  await p2.close();
  const back = (records[0] as { doc: Document }).doc;
  assert.deepStrictEqual(back, {
    _id: new Int32(1),
    d: new Double(2.5),
    one: new Double(1),
    i: new Int32(3),
    n: new Int32(7),
    f: new Double(2.5),
    l: Long.fromNumber(1),
  });
  assert.ok(Buffer.from(serialize(back)).equals(Buffer.from(serialize(doc))));
});

test('group commit: 100 concurrent commits share a handful of fsyncs, keep their order and all survive', async () => {
  const dir = await tempDir();
  const { p } = await openStore(dir);
  const base = p.stats.fsyncs;
  const resolvedAt: number[] = [];
  await Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      p.commit([{ t: 'put', db: 'd', coll: 'c', doc: { _id: i, seq: i } }]).then(() => resolvedAt.push(p.stats.fsyncs)),
    ),
  );
  const used = p.stats.fsyncs - base;
  // The first commit starts a write at once; the 99 issued while it is in flight share the next single fsync.
  assert.equal(used, 2, `expected 2 fsyncs for 100 concurrent commits, got ${used}`);
  assert.equal(p.stats.commits, 100);
  assert.ok(
    resolvedAt.every((n) => n > base),
    'no commit resolved before an fsync',
  );
  await p.close();
  const { p: p2, records } = await openStore(dir);
  await p2.close();
  assert.deepStrictEqual(
    records.map((r) => Number((r as { doc: Document }).doc.seq)),
    Array.from({ length: 100 }, (_, i) => i),
  );
});

test('a resolved commit is already on disk', async () => {
  const dir = await tempDir();
  const { p } = await openStore(dir);
  const before = (await stat(join(dir, 'journal.bson'))).size;
  await p.commit([{ t: 'put', db: 'd', coll: 'c', doc: { _id: 1, pad: 'x'.repeat(1000) } }]);
  assert.ok((await stat(join(dir, 'journal.bson'))).size >= before + 1000);
  assert.equal(p.stats.fsyncs, 1);
  await p.close();
});

test('close() waits for pending commits', async () => {
  const dir = await tempDir();
  const { p } = await openStore(dir);
  const pending = Array.from({ length: 50 }, (_, i) => p.commit([{ t: 'put', db: 'd', coll: 'c', doc: { _id: i } }]));
  await p.close();
  await Promise.all(pending);
  await assert.rejects(p.commit([{ t: 'put', db: 'd', coll: 'c', doc: { _id: 99 } }]), /closed/);
  const { p: p2, records } = await openStore(dir);
  await p2.close();
  assert.equal(records.length, 50);
});

test('shouldCompact() turns true past compactBytes and compaction keeps exactly the state', async () => {
  const dir = await tempDir();
  const { p } = await openStore(dir, { compactBytes: 4000 });
  const all: JournalRecord[] = [];
  const commit = async (recs: JournalRecord[]) => {
    all.push(...recs);
    await p.commit(recs);
  };
  assert.equal(p.shouldCompact(), false);
  await commit([
    { t: 'createColl', db: 'd', coll: 'a' },
    { t: 'createIndex', db: 'd', coll: 'a', spec: { name: 'k_1', key: { k: 1 }, unique: true } },
  ]);
  for (let i = 0; i < 40; i++)
    await commit([{ t: 'put', db: 'd', coll: 'a', doc: { _id: i, k: `k${i}`, pad: 'p'.repeat(100) } }]);
  await commit([
    { t: 'del', db: 'd', coll: 'a', id: 3 },
    { t: 'dropColl', db: 'd', coll: 'gone' },
  ]);
  assert.equal(p.shouldCompact(), true);
  await p.compact(() => stateOf(replay(all)));
  assert.equal(p.shouldCompact(), false);
  assert.equal(p.stats.generation, 1);
  // create/drop ordering after the snapshot: drop then re-create must leave only the new document.
  await commit([
    { t: 'dropColl', db: 'd', coll: 'a' },
    { t: 'createColl', db: 'd', coll: 'a' },
    { t: 'put', db: 'd', coll: 'a', doc: { _id: 'new' } },
  ]);
  await p.close();
  const { p: p2, records } = await openStore(dir);
  await p2.close();
  assert.equal(dump(replay(records)), dump(replay(all)));
  assert.deepStrictEqual([...replay(records).get('d.a')!.docs.keys()], [idKey('new')]);
});

test('commits issued during compaction wait for it and land in the new journal', async () => {
  const dir = await tempDir();
  const { p } = await openStore(dir);
  const all: JournalRecord[] = [{ t: 'put', db: 'd', coll: 'c', doc: { _id: 0 } }];
  await p.commit(all);
  let during: Promise<void> | undefined;
  const done = p.compact(function* () {
    yield* stateOf(replay(all));
    const rec: JournalRecord = { t: 'put', db: 'd', coll: 'c', doc: { _id: 1 } };
    all.push(rec);
    during = p.commit([rec]);
  });
  await done;
  await during;
  await p.close();
  const { p: p2, records } = await openStore(dir);
  await p2.close();
  assert.equal(dump(replay(records)), dump(replay(all)));
});

test('a crash at every compaction step loses and duplicates nothing', async () => {
  const dir = await tempDir();
  const copies: Array<[string, string]> = [];
  const { p } = await openStore(dir, {
    onCompactStep: async (step) => {
      const copy = await tempDir();
      await cp(dir, copy, { recursive: true });
      copies.push([step, copy]);
    },
  });
  const all: JournalRecord[] = [];
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < 30; i++) {
      const recs: JournalRecord[] = [{ t: 'put', db: 'd', coll: `c${i % 3}`, doc: { _id: i, round, at: new Date(i) } }];
      if (i % 7 === 0) recs.push({ t: 'del', db: 'd', coll: 'c0', id: i - 7 });
      all.push(...recs);
      await p.commit(recs);
    }
    await p.compact(() => stateOf(replay(all)));
  }
  await p.close();
  assert.deepStrictEqual(
    copies.map(([s]) => s),
    [
      'snapshot-written',
      'snapshot-renamed',
      'journal-tmp-written',
      'journal-replaced',
      'snapshot-written',
      'snapshot-renamed',
      'journal-tmp-written',
      'journal-replaced',
    ],
  );
  const expected = dump(replay(all));
  const stateRecords = [...stateOf(replay(all))].length;
  for (const [step, copy] of copies.slice(4)) {
    const { p: c, records } = await openStore(copy);
    await c.close();
    assert.equal(dump(replay(records)), expected, `state after a crash at ${step}`);
    if (step !== 'snapshot-written') {
      assert.equal(records.length, stateRecords, `no record replayed twice after a crash at ${step}`);
    }
    const files = await readdir(copy);
    assert.ok(!files.includes('snapshot.tmp') && !files.includes('journal.tmp'), `temp files removed (${step})`);
  }
  const { p: last, records } = await openStore(dir);
  await last.close();
  assert.equal(dump(replay(records)), expected);
});

test('a journal newer than its snapshot (snapshot lost) is a clear error', async () => {
  const dir = await tempDir();
  const { p } = await openStore(dir);
  await p.commit([{ t: 'put', db: 'd', coll: 'c', doc: { _id: 1 } }]);
  await p.compact(() => [{ t: 'put', db: 'd', coll: 'c', doc: { _id: 1 } }]);
  await p.close();
  await rm(join(dir, 'snapshot.bson'));
  await assert.rejects(openStore(dir), /journal\.bson is generation 1 but .*snapshot\.bson is missing/);
});

test('a snapshot without a journal starts from the snapshot and a fresh journal', async () => {
  const dir = await tempDir();
  const { p } = await openStore(dir);
  const state: JournalRecord[] = [
    { t: 'createColl', db: 'd', coll: 'c' },
    { t: 'put', db: 'd', coll: 'c', doc: { _id: 1 } },
  ];
  await p.commit(state);
  await p.compact(() => state);
  await p.close();
  await rm(join(dir, 'journal.bson'));
  const { p: p2, records } = await openStore(dir);
  await p2.commit([{ t: 'put', db: 'd', coll: 'c', doc: { _id: 2 } }]);
  await p2.close();
  assert.equal(canonical(records), canonical(state));
  const { p: p3, records: again } = await openStore(dir);
  await p3.close();
  assert.equal(again.length, 3);
});
