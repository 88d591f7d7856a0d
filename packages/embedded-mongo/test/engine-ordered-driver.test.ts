// Ordered index walks of the embedded engine through the mongodb driver, on the app's shapes: the conversation
// list (visibility, status, search, cursor pages; sort lastMessageAt desc, _id desc) and a conversation's
// messages must return exactly what the in-memory sort returns (the same find without a limit), explain must
// show an IXSCAN over few documents, and that must survive updates, an open transaction, a restart from the
// journal and TTL deletions. Must never leave its temp folder behind.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { MongoClient, ObjectId, type Collection, type Db, type Document } from 'mongodb';
import { startEmbeddedServer, type EmbeddedServer } from '../src/index.js';

let server: EmbeddedServer;
let client: MongoClient;
let db: Db;
let dir: string;

const N = 3000;
const channels = Array.from({ length: 6 }, () => new ObjectId());
const sort = { lastMessageAt: -1, _id: -1 } as const;

async function conversationIndexes(c: Collection): Promise<void> {
  await c.createIndex({ channelId: 1, contactId: 1, createdAt: -1 });
  await c.createIndex({ threadKey: 1 }, { unique: true, partialFilterExpression: { threadKey: { $type: 'string' } } });
  await c.createIndex({ lastMessageAt: -1 });
  await c.createIndex({ channelId: 1, lastMessageAt: -1 });
  await c.createIndex({ assigneeId: 1, lastMessageAt: -1 });
  await c.createIndex({ status: 1, lastMessageAt: -1 });
}

function conversations(n: number): Document[] {
  const base = Date.UTC(2025, 0, 1);
  return Array.from({ length: n }, (_, i) => ({
    _id: new ObjectId(),
    channelId: channels[i % channels.length],
    contactId: new ObjectId(),
    status: ['open', 'pending', 'closed'][i % 3],
    assigneeId: i % 4 === 0 ? null : channels[i % 2],
    // many ties (minute resolution), some never-messaged conversations
    lastMessageAt: i % 17 === 0 ? null : new Date(base + ((i * 7919) % 500) * 60_000),
    searchText: `contact ${i} ${['foo', 'bar', 'baz'][i % 3]}`,
    ...(i % 5 ? { threadKey: `t${i}` } : {}),
  }));
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parley-ordered-'));
  server = await startEmbeddedServer({ dbpath: dir, ttlSweepMs: 50 });
  client = await MongoClient.connect(server.uri);
  db = client.db('ordered');
  const c = db.collection('conversations');
  await conversationIndexes(c);
  await c.insertMany(conversations(N));
});
after(async () => {
  await client.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const ids = (docs: Document[]) => docs.map((d) => String(d._id));

/** The page through the ordered walk, checked against the in-memory sort of the same query. */
async function page(filter: Document, limit = 31, s: Document = sort, coll = 'conversations'): Promise<Document[]> {
  const c = db.collection(coll);
  const got = await c.find(filter).sort(s).limit(limit).toArray();
  const all = await c.find(filter).sort(s).toArray();
  assert.deepEqual(ids(got), ids(all.slice(0, limit)), JSON.stringify(filter));
  return got;
}

async function explainList(filter: Document, s: Document = sort, limit = 31, coll = 'conversations') {
  const ex = await db.collection(coll).find(filter).sort(s).limit(limit).explain('executionStats');
  return { plan: ex.queryPlanner.winningPlan.inputStage ?? ex.queryPlanner.winningPlan, stats: ex.executionStats };
}

function cursorOf(d: Document): Document {
  return {
    $or: [{ lastMessageAt: { $lt: d.lastMessageAt } }, { lastMessageAt: d.lastMessageAt, _id: { $lt: d._id } }],
  };
}

test('conversation list: every filter shape returns the in-memory order; explain shows an index walk', async () => {
  const visibility = [{}, { channelId: { $in: channels.slice(1, 3) } }, { $or: [{ channelId: { $in: channels } }] }];
  for (const vis of visibility) {
    for (const extra of [[], [{ status: 'open' }], [{ searchText: { $regex: 'foo' } }], [{ assigneeId: null }]]) {
      const first = await page({ $and: [vis, ...extra] });
      if (first.length) await page({ $and: [vis, ...extra, cursorOf(first[first.length - 1])] });
    }
  }
  const { plan, stats } = await explainList({ $and: [{}] });
  assert.equal(plan.stage, 'IXSCAN');
  assert.equal(plan.indexName, 'lastMessageAt_-1');
  assert.equal(plan.direction, 'forward');
  assert.ok(stats.totalDocsExamined < N / 10, `examined ${stats.totalDocsExamined}`);
  assert.equal(stats.nReturned, 31);
  const open = await explainList({ $and: [{}, { status: 'open' }] });
  assert.equal(open.plan.indexName, 'status_1_lastMessageAt_-1');
  assert.ok(open.stats.totalDocsExamined < N / 10);
  const channel = await explainList({ channelId: channels[2] });
  assert.equal(channel.plan.indexName, 'channelId_1_lastMessageAt_-1');
  const two = await explainList({ channelId: { $in: channels.slice(0, 2) } });
  assert.equal(two.plan.ranges, 2);
});

test('cursor pages cover the whole list exactly once, in order', async () => {
  const c = db.collection('conversations');
  // a Date cursor never reaches conversations without lastMessageAt ($lt: Date does not match null)
  const dated = { status: { $ne: 'closed' }, lastMessageAt: { $ne: null } };
  const all = ids(await c.find(dated).sort(sort).toArray());
  const seen: string[] = [];
  let last: Document | undefined;
  for (;;) {
    const and: Document[] = [{ status: { $ne: 'closed' } }];
    if (last) and.push(cursorOf(last));
    const rows = await page({ $and: and }, 101);
    seen.push(...ids(rows));
    if (rows.length < 101) break;
    last = rows[rows.length - 1];
  }
  assert.deepEqual(seen, all);
});

test('updates that move lastMessageAt, deletes and inserts keep the walk exact', async () => {
  const c = db.collection('conversations');
  const some = await c.find({}).limit(300).toArray();
  for (const [i, d] of some.entries()) {
    if (i % 10 === 9) await c.deleteOne({ _id: d._id });
    else if (i % 3 === 0) await c.updateOne({ _id: d._id }, { $set: { lastMessageAt: null } });
    else await c.updateOne({ _id: d._id }, { $set: { lastMessageAt: new Date(Date.UTC(2026, 0, 1, 0, i % 7)) } });
  }
  await c.insertMany(conversations(50).map((d) => ({ ...d, threadKey: undefined })));
  await page({});
  await page({ $and: [{}, { status: 'pending' }] });
  await page({ $and: [{ channelId: { $in: channels.slice(3) } }] }, 7);
  await page({}, 40, { lastMessageAt: 1, _id: 1 });
  const top = await c.find({}).sort(sort).limit(1).toArray();
  assert.equal(top[0].lastMessageAt.getTime(), Date.UTC(2026, 0, 1, 0, 6));
});

test('messages of a conversation: equality prefix walk on {conversationId, createdAt}', async () => {
  const m = db.collection('messages');
  await m.createIndex({ conversationId: 1, createdAt: -1 });
  const convs = Array.from({ length: 20 }, () => new ObjectId());
  await m.insertMany(
    Array.from({ length: 4000 }, (_, i) => ({
      conversationId: convs[i % 20],
      createdAt: new Date(Date.UTC(2025, 5, 1) + Math.floor(i / 3) * 1000),
    })),
  );
  for (const conv of convs.slice(0, 5))
    await page({ conversationId: conv }, 50, { createdAt: -1, _id: -1 }, 'messages');
  const { plan, stats } = await explainList({ conversationId: convs[3] }, { createdAt: -1, _id: -1 }, 50, 'messages');
  assert.equal(plan.indexName, 'conversationId_1_createdAt_-1');
  assert.ok(stats.totalDocsExamined <= 60, `examined ${stats.totalDocsExamined}`);
});

test('an open transaction on the collection: outside readers still see the committed order', async () => {
  const c = db.collection('conversations');
  const [target] = await c.find({ status: 'closed' }).sort({ lastMessageAt: 1 }).limit(1).toArray();
  const session = client.startSession();
  try {
    session.startTransaction();
    await c.updateOne({ _id: target._id }, { $set: { lastMessageAt: new Date(Date.UTC(2030, 0, 1)) } }, { session });
    const inside = await c.find({}, { session }).sort(sort).limit(3).toArray();
    assert.equal(String(inside[0]._id), String(target._id));
    const outside = await page({});
    assert.notEqual(String(outside[0]._id), String(target._id));
    await session.commitTransaction();
  } finally {
    await session.endSession();
  }
  const after = await page({});
  assert.equal(String(after[0]._id), String(target._id));
  assert.equal((await explainList({})).plan.stage, 'IXSCAN');
});

test('restart from the journal: the ordered side is rebuilt and agrees', async () => {
  const before = ids(await page({ $and: [{}, { status: 'open' }] }, 60));
  await client.close();
  await server.close();
  server = await startEmbeddedServer({ dbpath: dir, ttlSweepMs: 50 });
  client = await MongoClient.connect(server.uri);
  db = client.db('ordered');
  assert.deepEqual(ids(await page({ $and: [{}, { status: 'open' }] }, 60)), before);
  assert.equal((await explainList({ $and: [{}, { status: 'open' }] })).plan.indexName, 'status_1_lastMessageAt_-1');
});

test('TTL deletions leave the ordered side exact', async () => {
  const t = db.collection('sessions');
  await t.createIndex({ expires: 1 }, { expireAfterSeconds: 0 });
  const now = Date.now();
  await t.insertMany(
    Array.from({ length: 200 }, (_, i) => ({ n: i, expires: new Date(now + (i % 2 ? 60_000 : -1000) + i) })),
  );
  await page({}, 10, { expires: 1 }, 'sessions'); // builds the ordered side before the sweep
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline && (await t.countDocuments()) > 100) await new Promise((r) => setTimeout(r, 25));
  assert.equal(await t.countDocuments(), 100);
  const rows = await page({}, 10, { expires: 1 }, 'sessions');
  assert.deepEqual(
    rows.map((r) => r.n),
    [1, 3, 5, 7, 9, 11, 13, 15, 17, 19],
  );
  assert.equal((await explainList({}, { expires: -1 }, 5, 'sessions')).plan.direction, 'backward');
});
