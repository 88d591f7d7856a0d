// Partial indexes in query plans: like mongod, a partial index serves a query only when the query's equality
// constraints imply its partialFilterExpression; otherwise the query must not use it (documents outside the
// filter are not in the index) — results are the same either way.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MongoClient, ObjectId, type Db, type Document } from 'mongodb';
import { startEmbeddedServer, type EmbeddedServer } from '../../server/src/db/embedded/index.js';

let server: EmbeddedServer;
let client: MongoClient;
let db: Db;

before(async () => {
  server = await startEmbeddedServer({});
  client = await MongoClient.connect(server.uri);
  db = client.db('partial');
});
after(async () => {
  await client.close();
  await server.close();
});

async function planOf(filter: Document): Promise<{ docs: number; index?: string; n: number }> {
  const ex = await db.collection('messages').find(filter).explain('executionStats');
  const plan = ex.queryPlanner.winningPlan;
  return {
    docs: ex.executionStats.totalDocsExamined,
    index: plan.inputStage?.indexName ?? plan.indexName,
    n: ex.executionStats.nReturned,
  };
}

test('an equality on a string provider id uses the {channelId, providerMessageId} partial unique index', async () => {
  const channel = new ObjectId();
  const messages = db.collection('messages');
  await messages.createIndex(
    { channelId: 1, providerMessageId: 1 },
    { unique: true, partialFilterExpression: { providerMessageId: { $type: 'string' } }, name: 'pmid' },
  );
  const docs: Document[] = [];
  for (let i = 0; i < 500; i++) docs.push({ channelId: channel, providerMessageId: `wamid.${i}`, n: i });
  for (let i = 0; i < 50; i++) docs.push({ channelId: channel, providerMessageId: null, n: 1000 + i }); // outbound, not sent
  await messages.insertMany(docs);

  const hit = await planOf({ channelId: channel, providerMessageId: 'wamid.42' });
  assert.equal(hit.index, 'pmid');
  assert.equal(hit.docs, 1);
  assert.equal(hit.n, 1);
  const many = await planOf({ channelId: channel, providerMessageId: { $in: ['wamid.1', 'wamid.2', 'nope'] } });
  assert.equal(many.index, 'pmid');
  assert.equal(many.n, 2);

  // null does not satisfy $type string: the index must not be used, and the 50 outbound rows are found.
  const nulls = await planOf({ channelId: channel, providerMessageId: null });
  assert.notEqual(nulls.index, 'pmid');
  assert.equal(nulls.n, 50);
  // Only the channel: not implied either.
  const all = await planOf({ channelId: channel });
  assert.notEqual(all.index, 'pmid');
  assert.equal(all.n, 550);
  // A mixed $in (a string and null) is not implied as a whole.
  const mixed = await planOf({ channelId: channel, providerMessageId: { $in: ['wamid.3', null] } });
  assert.notEqual(mixed.index, 'pmid');
  assert.equal(mixed.n, 51);
});
