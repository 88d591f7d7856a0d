// Ordered index walks of the embedded engine, at the engine level: on randomised data (ties, null/missing, mixed
// BSON types, dates, Long, multikey arrays, invalid dates) under inserts, updates that move entries and deletes,
// every sorted + limited find must return exactly what the in-memory path (the same find without a limit, then
// skip/limit) returns, with and without equality prefixes, $in merges, reverse walks and cursor-style $or filters;
// the ordered structure must stay sorted and complete. Must never depend on timing or on a server.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Binary, Long, MaxKey, MinKey, ObjectId, Timestamp, type Document } from 'bson';
import { Collection } from '../src/collection.js';
import { compareRows, compareKeys, Key } from '../src/ordered-keys.js';
import { find, type Plan } from '../src/planner.js';
import type { EngineStats } from '../src/store.js';
import { compareValues, enc } from '../src/values.js';

function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const stats = (): EngineStats => ({ docsExamined: 0, keysExamined: 0, indexLookups: 0, collectionScans: 0 });
const oids = Array.from({ length: 4 }, (_, i) => new ObjectId(`65a0000000000000000000${i}0`));
const dates = Array.from({ length: 6 }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i)));
const MISSING = Symbol('missing');
const SCALARS: unknown[] = [
  0,
  1,
  2,
  1.5,
  -0,
  'x',
  'y',
  '',
  'abcdefg',
  'abcdefgh1',
  'abcdefgh2',
  true,
  false,
  null,
  MISSING,
  oids[0],
  oids[1],
  dates[0],
];
const TIMES: unknown[] = [...dates, ...dates, null, MISSING, 3, 'late', Long.fromNumber(5), { at: 1 }, oids[2]];

function makeDoc(r: () => number, id: unknown, multikey: boolean): Document {
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const d: Document = { _id: id };
  const set = (k: string, v: unknown) => {
    if (v !== MISSING) d[k] = v;
  };
  set('a', pick(SCALARS));
  set('b', pick(SCALARS));
  set('t', pick(TIMES));
  d.s = pick(['alpha', 'beta', 'gamma', 'delta']);
  if (multikey && r() < 0.5) d.t = [pick(dates), pick(dates)];
  else if (multikey) d.a = [pick(SCALARS), 1];
  return d;
}

function makeFilter(r: () => number, c: Collection): Document {
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const scalar = () => {
    const v = pick(SCALARS.filter((x) => x !== MISSING));
    return v;
  };
  const docs = [...c.docs.values()];
  const pivot = docs.length ? pick(docs) : { _id: 0, t: dates[2] };
  const at = pivot.t === undefined ? null : pivot.t;
  const cursor = { $or: [{ t: { $lt: at } }, { t: at, _id: { $lt: pivot._id } }] };
  switch (Math.floor(r() * 12)) {
    case 0:
      return {};
    case 1:
      return { a: scalar() };
    case 2:
      return { a: { $in: [scalar(), scalar(), scalar()] } };
    case 3:
      return { a: null };
    case 4:
      return { $and: [{}, { a: scalar() }] };
    case 5:
      return { $and: [{ a: { $in: [scalar(), scalar()] } }, cursor] };
    case 6:
      return { $and: [{}, cursor] };
    case 7:
      return { $or: [{ a: scalar() }] };
    case 8:
      return { $or: [{ a: scalar() }, { b: scalar() }] };
    case 9:
      return { b: { $gte: 1 } };
    case 10:
      return { $and: [{ s: { $regex: 'l' } }, { a: scalar(), b: scalar() }] };
    default:
      return { a: scalar(), b: { $in: [scalar(), scalar()] } };
  }
}

const SORTS: Document[] = [
  { t: -1, _id: -1 },
  { t: 1, _id: 1 },
  { t: -1 },
  { t: 1 },
  { a: 1, t: -1 },
  { a: -1, t: 1 },
  { a: 1, t: -1, _id: 1 },
  { t: -1, b: 1 },
  { t: 1, b: -1, _id: -1 },
  { b: -1, a: 1 },
  { a: 1, b: 1, t: 1 },
  { a: -1, b: -1, t: -1 },
  { t: 1, a: -1 },
  { a: 1 },
];

function setup(): Collection {
  const c = new Collection('d', 'c');
  c.createIndex({ key: { t: -1 }, name: 't_-1' });
  c.createIndex({ key: { a: 1, t: -1 }, name: 'a_1_t_-1' });
  c.createIndex({ key: { a: 1, b: 1, t: 1 }, name: 'a_1_b_1_t_1' });
  c.createIndex({ key: { t: 1, b: -1 }, name: 't_1_b_-1' });
  c.createIndex({ key: { b: 1 }, name: 'b_sparse', sparse: true });
  c.createIndex({ key: { a: 'hashed' }, name: 'a_hashed' });
  c.createIndex({ key: { s: 1 }, name: 's_partial', partialFilterExpression: { s: { $type: 'string' } } });
  return c;
}

/** The ordered structures built so far are sorted, complete and agree with the stored documents. */
function checkStructures(c: Collection): void {
  for (const ix of c.indexes.values()) {
    const oi = ix.ordered;
    if (!oi) continue;
    assert.equal(oi.broken, false, `${ix.name} broken`);
    const all = [...oi.entries()];
    assert.equal(all.length + oi.unsure, c.docs.size, `${ix.name} size`);
    for (let i = 1; i < all.length; i++) assert.ok(oi.compare(all[i - 1], all[i]) < 0, `${ix.name} order at ${i}`);
    for (const e of all) {
      const doc = c.docs.get(e.id);
      assert.ok(doc, `${ix.name} holds a deleted id`);
      assert.equal(e.seq, c.seq.get(e.id));
      assert.deepEqual(enc(oi.valuesOf(doc)), enc(e.vals));
    }
  }
}

const ids = (docs: Document[]) => docs.map((d) => enc(d._id));

function compare(c: Collection, filter: Document, sort: Document, skip: number, limit: number): Plan {
  const got = find(c, filter, { sort, skip, limit }, stats());
  const want = find(c, filter, { sort }, stats()).docs.slice(skip, skip + limit);
  assert.deepEqual(
    ids(got.docs),
    ids(want),
    `filter ${JSON.stringify(filter)} sort ${JSON.stringify(sort)} skip ${skip} limit ${limit} (${got.plan.indexName})`,
  );
  assert.ok(
    got.docs.every((d, i) => d === want[i]),
    'same stored documents',
  );
  return got.plan;
}

for (const seed of [1, 2, 3, 4, 5, 6]) {
  test(`randomised sorted finds match the in-memory sort (seed ${seed})`, () => {
    const r = rng(seed);
    const c = setup();
    let nextId = 0;
    let walks = 0;
    let queries = 0;
    const kinds = new Set<string>();
    for (let round = 0; round < 30; round++) {
      const multikeyRound = round % 10 === 7;
      for (let k = 0; k < 40; k++) {
        const docs = [...c.docs.values()];
        const op = r();
        if (op < 0.45 || docs.length < 20) {
          const id = r() < 0.7 ? nextId++ : new ObjectId();
          c.insert(makeDoc(r, id, multikeyRound && r() < 0.1));
        } else if (op < 0.85) {
          const old = docs[Math.floor(r() * docs.length)];
          c.replace(old, makeDoc(r, old._id, multikeyRound && r() < 0.1));
        } else c.remove(docs[Math.floor(r() * docs.length)]);
      }
      if (round % 10 === 9) {
        // clean the arrays up again: the walk must come back
        for (const d of [...c.docs.values()])
          if (Array.isArray(d.t) || Array.isArray(d.a)) c.replace(d, makeDoc(r, d._id, false));
      }
      for (let k = 0; k < 25; k++) {
        const sort = SORTS[Math.floor(r() * SORTS.length)];
        const skip = r() < 0.3 ? Math.floor(r() * 8) : 0;
        const limit = 1 + Math.floor(r() * (r() < 0.8 ? 12 : 80));
        queries++;
        const p = compare(c, makeFilter(r, c), sort, skip, limit);
        if (!p.direction) continue;
        walks++;
        kinds.add(p.direction);
        if ((p.ranges ?? 0) > 1) kinds.add('merge');
        if (p.indexName !== 't_-1' && p.indexName !== 't_1_b_-1') kinds.add('prefix');
      }
      checkStructures(c);
    }
    assert.ok(walks > queries / 3, `ordered walks used for ${walks} of ${queries} queries`);
    assert.deepEqual([...kinds].sort(), ['backward', 'forward', 'merge', 'prefix']);
  });
}

test('key encoding and compareKeys order every pair of values exactly like compareValues', () => {
  const r = rng(99);
  const pool: unknown[] = [
    ...SCALARS.filter((v) => v !== MISSING),
    ...TIMES.filter((v) => v !== MISSING),
    NaN,
    Infinity,
    -Infinity,
    2 ** 60,
    Long.fromString('9007199254740993'),
    Long.fromNumber(-3),
    'abcdef',
    'abcdeg',
    'abc',
    'ab\u0000',
    '\uffffz',
    '😀',
    'é',
    new Date(-5),
    new Date(8.64e15),
    new ObjectId('000000000000000000000001'),
    new ObjectId('ffffffffffffffffffffffff'),
    new ObjectId('65a000000000000000000000'),
    new Binary(Buffer.from('ab')),
    new Binary(Buffer.from('b')),
    new Timestamp({ t: 1, i: 2 }),
    new MinKey(),
    new MaxKey(),
    /re/,
    { a: 1 },
    { a: 1, b: null },
    { b: 0 },
  ];
  const ka = new Key(1);
  const kb = new Key(1);
  const sign = (x: number) => Math.sign(x) || 0;
  for (let i = 0; i < 20_000; i++) {
    const a = pool[Math.floor(r() * pool.length)];
    const b = pool[Math.floor(r() * pool.length)];
    const want = sign(compareValues(a, b));
    ka.load([a], 0, 0);
    kb.load([b], 0, 1);
    const got = sign(compareRows(ka.row, 0, [a], 0, kb.row, 0, [b], 0, 1, [1], false, 1));
    assert.equal(got, want, `encoded ${String(a)} vs ${String(b)}`);
    assert.equal(sign(compareKeys(a, b)), want, `compareKeys ${String(a)} vs ${String(b)}`);
  }
});

test('walks: no-prefix list query, equality prefix, $in merge, reverse direction, null prefix', () => {
  const c = setup();
  for (let i = 0; i < 500; i++)
    c.insert({ _id: i, a: i % 5, b: i % 7, t: i % 11 === 0 ? null : dates[i % 6], s: 'x' + (i % 3) });
  const run = (filter: Document, sort: Document, limit = 10) => {
    const res = find(c, filter, { sort, limit }, stats());
    assert.deepEqual(ids(res.docs), ids(find(c, filter, { sort }, stats()).docs.slice(0, limit)));
    return res;
  };
  let res = run({ $and: [{}] }, { t: -1, _id: -1 });
  assert.equal(res.plan.indexName, 't_-1');
  assert.equal(res.plan.direction, 'forward');
  assert.ok(res.docsExamined < 200, `examined ${res.docsExamined}`);
  res = run({}, { t: 1, _id: 1 });
  assert.equal(res.plan.direction, 'backward');
  res = run({ a: 3 }, { t: -1, _id: -1 });
  assert.equal(res.plan.indexName, 'a_1_t_-1');
  assert.ok(res.docsExamined < 100, `examined ${res.docsExamined}`); // one group of equal dates (ties) is enough
  res = run({ a: 3 }, { t: -1, _id: -1 }, 1);
  assert.ok(res.docsExamined <= 20, `examined ${res.docsExamined}`); // the whole first group, for the _id order
  res = run({ a: { $in: [1, 3, 4] } }, { t: -1 }, 5);
  assert.equal(res.plan.ranges, 3);
  res = run({ a: 2, b: 4 }, { t: 1 }, 3);
  assert.equal(res.plan.indexName, 'a_1_b_1_t_1');
  res = run({ a: 2 }, { a: 1, b: -1, t: -1 }, 3);
  assert.equal(res.plan.direction, 'backward');
  c.insert({ _id: 'n1', b: 1, t: dates[3] });
  c.insert({ _id: 'n2', a: null, b: 1, t: dates[4] });
  res = run({ a: null }, { t: -1 });
  assert.equal(res.plan.indexName, 'a_1_t_-1');
  assert.deepEqual(ids(res.docs), ids([{ _id: 'n2' }, { _id: 'n1' }]));
  // an equality lookup that is much cheaper than a walk keeps the hash plan; no limit keeps the in-memory sort
  assert.equal(find(c, { _id: 7 }, { sort: { t: 1 }, limit: 5 }, stats()).plan.stage, 'IDHACK');
  assert.equal(find(c, {}, { sort: { t: 1 } }, stats()).plan.stage, 'COLLSCAN');
  // $natural and an invalid sort are not walks; the invalid one still fails like before
  assert.equal(find(c, {}, { sort: { $natural: -1 }, limit: 3 }, stats()).plan.direction, undefined);
  assert.throws(() => find(c, {}, { sort: { t: 2 }, limit: 3 }, stats()), /ordering must be 1/);
});

test('thousands of entries: chunk splits, emptied chunks and fence updates stay consistent', () => {
  const r = rng(7);
  const c = new Collection('d', 'c');
  c.createIndex({ key: { t: 1 }, name: 't_1' });
  c.createIndex({ key: { g: 1, t: -1 }, name: 'g_1_t_-1' });
  const q = (filter: Document, sort: Document, limit: number) => compare(c, filter, sort, 0, limit);
  for (let i = 0; i < 3000; i++) c.insert({ _id: i, g: i % 3, t: Math.floor(r() * 100_000) });
  assert.equal(q({}, { t: 1 }, 5).indexName, 't_1'); // builds both ordered sides
  assert.equal(q({ g: 1 }, { t: -1 }, 5).indexName, 'g_1_t_-1');
  for (let i = 3000; i < 9000; i++) c.insert({ _id: i, g: i % 3, t: i % 2 ? -i : Math.floor(r() * 100_000) });
  checkStructures(c);
  for (const d of [...c.docs.values()]) if (typeof d.t === 'number' && d.t >= 20_000 && d.t < 70_000) c.remove(d);
  checkStructures(c);
  for (const d of [...c.docs.values()].slice(0, 2000)) c.replace(d, { ...d, t: 1_000_000 - (d._id as number) });
  checkStructures(c);
  for (const [filter, sort] of [
    [{}, { t: 1 }],
    [{}, { t: -1 }],
    [{ g: 2 }, { t: -1, _id: 1 }],
    [{ g: { $in: [0, 2] } }, { t: 1 }],
    [{ t: { $gte: 70_000 } }, { t: 1 }],
  ] as const)
    for (const limit of [1, 30, 700]) assert.ok(q(filter, sort, limit).direction);
});

test('multikey or unsure keys fall back to the in-memory sort until they are gone', () => {
  const c = setup();
  for (let i = 0; i < 50; i++) c.insert({ _id: i, a: i % 3, t: dates[i % 6] });
  const q = () => find(c, {}, { sort: { t: -1 }, limit: 5 }, stats());
  assert.equal(q().plan.indexName, 't_-1');
  c.insert({ _id: 'arr', t: [dates[0], new Date(Date.UTC(2030, 0, 1))] });
  assert.equal(q().plan.direction, undefined);
  assert.equal(q().docs[0]._id, 'arr'); // sorts by its max element descending
  c.replace(c.getById('arr')!, { _id: 'arr', t: new Date(NaN) });
  assert.equal(q().plan.direction, undefined);
  assert.deepEqual(ids(q().docs), ids(find(c, {}, { sort: { t: -1 } }, stats()).docs.slice(0, 5)));
  c.remove(c.getById('arr')!);
  assert.equal(q().plan.indexName, 't_-1');
  checkStructures(c);
});

test('open transaction writes on the collection take the in-memory path', () => {
  const c = setup();
  for (let i = 0; i < 30; i++) c.insert({ _id: i, t: dates[i % 6] });
  const before = c.getById(4)!;
  const owner = {};
  c.replace(before, { _id: 4, t: new Date(Date.UTC(2030, 0, 1)) });
  c.dirty.set(enc(4), { owner, before });
  const outside = find(c, {}, { sort: { t: -1 }, limit: 3 }, stats(), null);
  assert.equal(outside.plan.direction, undefined);
  assert.notEqual(outside.docs[0]._id, 4); // the committed version is not the newest
  const inside = find(c, {}, { sort: { t: -1 }, limit: 3 }, stats(), owner);
  assert.equal(inside.docs[0]._id, 4);
  c.dirty.clear();
  assert.equal(find(c, {}, { sort: { t: -1 }, limit: 3 }, stats()).docs[0]._id, 4);
});
