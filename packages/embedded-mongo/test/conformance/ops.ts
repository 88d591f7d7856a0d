// The operations of the unified test format mapped onto the official mongodb driver (collection, database,
// client, session, bucket and test-runner operations) and the entity map they work on. Must never talk to
// anything but the engine the runner started; an operation it does not know throws Unsupported.
import { GridFSBucket, MongoClient, type ClientSession, type Collection, type Db } from 'mongodb';
import { match, type Entities } from './match.js';

export class Unsupported extends Error {}

export interface Op {
  name: string;
  object: string;
  arguments?: Record<string, unknown>;
  expectResult?: unknown;
  expectError?: Record<string, unknown>;
  saveResultAsEntity?: string;
  ignoreResultAndError?: boolean;
}

export interface Ctx {
  entities: Entities;
  run(op: Op): Promise<void>;
}

/** Arguments → driver options: entity references resolved, named positional arguments removed. */
function options(ctx: Ctx, args: Record<string, unknown>, positional: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) {
    if (positional.includes(k)) continue;
    // The format spells returnDocument 'Before' / 'After'; the driver takes 'before' / 'after'.
    out[k] = k === 'session' ? ctx.entities.get(v as string) : k === 'returnDocument' ? String(v).toLowerCase() : v;
  }
  return out;
}

function writeModel(m: Record<string, unknown>, client: boolean): Record<string, unknown> {
  const [name, body] = Object.entries(m)[0] as [string, Record<string, unknown>];
  return client ? { name, ...body } : { [name]: body };
}

function bulkResult(r: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of [
    'insertedCount',
    'matchedCount',
    'modifiedCount',
    'deletedCount',
    'upsertedCount',
    'upsertedIds',
    'insertedIds',
  ]) {
    if (r[k] !== undefined) out[k] = r[k];
  }
  return out;
}

const toArray = async (c: { toArray(): Promise<unknown[]> }): Promise<unknown[]> => c.toArray();

async function collectionOp(ctx: Ctx, c: Collection, name: string, a: Record<string, unknown>): Promise<unknown> {
  const o = (...p: string[]) => options(ctx, a, p);
  const filter = (a.filter ?? {}) as never;
  switch (name) {
    case 'insertOne':
      return c.insertOne(a.document as never, o('document'));
    case 'insertMany':
      return c.insertMany(a.documents as never, o('documents'));
    case 'find':
      return toArray(c.find(filter, o('filter')));
    case 'findOne':
      return c.findOne(filter, o('filter'));
    case 'aggregate':
      return toArray(c.aggregate(a.pipeline as never, o('pipeline')));
    case 'updateOne':
      return c.updateOne(filter, a.update as never, o('filter', 'update'));
    case 'updateMany':
      return c.updateMany(filter, a.update as never, o('filter', 'update'));
    case 'replaceOne':
      return c.replaceOne(filter, a.replacement as never, o('filter', 'replacement'));
    case 'deleteOne':
      return c.deleteOne(filter, o('filter'));
    case 'deleteMany':
      return c.deleteMany(filter, o('filter'));
    case 'findOneAndUpdate':
      return c.findOneAndUpdate(filter, a.update as never, { ...o('filter', 'update'), includeResultMetadata: false });
    case 'findOneAndReplace':
      return c.findOneAndReplace(filter, a.replacement as never, {
        ...o('filter', 'replacement'),
        includeResultMetadata: false,
      });
    case 'findOneAndDelete':
      return c.findOneAndDelete(filter, { ...o('filter'), includeResultMetadata: false });
    case 'countDocuments':
      return c.countDocuments(filter, o('filter'));
    case 'estimatedDocumentCount':
      return c.estimatedDocumentCount(o());
    case 'count':
      return (c as unknown as { count(f: unknown, o: unknown): Promise<number> }).count(filter, o('filter'));
    case 'distinct':
      return c.distinct(a.fieldName as string, filter, o('fieldName', 'filter'));
    case 'bulkWrite': {
      const models = (a.requests as Record<string, unknown>[]).map((m) => writeModel(m, false));
      return bulkResult((await c.bulkWrite(models as never, o('requests'))) as never);
    }
    case 'createIndex':
      return c.createIndex(a.keys as never, o('keys'));
    case 'dropIndex':
      return c.dropIndex(a.name as string, o('name'));
    case 'dropIndexes':
      return c.dropIndexes(o());
    case 'listIndexes':
      return toArray(c.listIndexes(o()));
    case 'createFindCursor':
      return c.find(filter, o('filter'));
    case 'createSearchIndex':
      return c.createSearchIndex(a.model as never);
    case 'createSearchIndexes':
      return c.createSearchIndexes(a.models as never);
    case 'dropSearchIndex':
      return c.dropSearchIndex(a.name as string);
    case 'updateSearchIndex':
      return c.updateSearchIndex(a.name as string, a.definition as never);
    case 'listSearchIndexes':
      return toArray(
        a.name === undefined
          ? c.listSearchIndexes((a.aggregationOptions ?? {}) as never)
          : c.listSearchIndexes(a.name as string, (a.aggregationOptions ?? {}) as never),
      );
    case 'rename':
      return c.rename(a.to as string, o('to'));
  }
  throw new Unsupported(`collection operation ${name}`);
}

async function databaseOp(ctx: Ctx, d: Db, name: string, a: Record<string, unknown>): Promise<unknown> {
  const o = (...p: string[]) => options(ctx, a, p);
  switch (name) {
    case 'runCommand':
      return d.command(a.command as never, o('command', 'commandName'));
    case 'aggregate':
      return toArray(d.aggregate(a.pipeline as never, o('pipeline')));
    case 'createCollection':
      return d.createCollection(a.collection as string, o('collection'));
    case 'dropCollection':
      return d.dropCollection(a.collection as string, o('collection'));
    case 'listCollections':
      return toArray(d.listCollections((a.filter ?? {}) as never, o('filter')));
    case 'listCollectionNames':
      return toArray(d.listCollections((a.filter ?? {}) as never, { ...o('filter'), nameOnly: true })).then((l) =>
        l.map((c) => (c as { name: string }).name),
      );
    case 'createCommandCursor':
    case 'runCursorCommand':
      return d.runCursorCommand(a.command as never, o('command', 'commandName'));
  }
  throw new Unsupported(`database operation ${name}`);
}

async function sessionOp(ctx: Ctx, s: ClientSession, name: string, a: Record<string, unknown>): Promise<unknown> {
  switch (name) {
    case 'startTransaction':
      return s.startTransaction(a as never);
    case 'commitTransaction':
      return s.commitTransaction();
    case 'abortTransaction':
      return s.abortTransaction();
    case 'endSession':
      return s.endSession();
    case 'withTransaction':
      return s.withTransaction(
        async () => {
          for (const op of a.callback as Op[]) await ctx.run(op);
        },
        options(ctx, a, ['callback']),
      );
  }
  throw new Unsupported(`session operation ${name}`);
}

function session(ctx: Ctx, a: Record<string, unknown>): ClientSession & { transaction: Record<string, unknown> } {
  return ctx.entities.get(a.session as string) as never;
}

/** Test-runner assertions; they run against the runner's own client. */
async function runnerOp(ctx: Ctx, admin: MongoClient, name: string, a: Record<string, unknown>): Promise<unknown> {
  const colls = async () =>
    (
      await admin
        .db(a.databaseName as string)
        .listCollections()
        .toArray()
    ).map((c) => c.name);
  const indexes = async () =>
    (
      await admin
        .db(a.databaseName as string)
        .collection(a.collectionName as string)
        .listIndexes()
        .toArray()
    ).map((i) => i.name);
  const check = (ok: boolean, msg: string) => {
    if (!ok) throw new Error(`assertion ${name} failed: ${msg}`);
  };
  switch (name) {
    case 'assertCollectionExists':
      return check((await colls()).includes(a.collectionName as string), String(a.collectionName));
    case 'assertCollectionNotExists':
      return check(!(await colls()).includes(a.collectionName as string), String(a.collectionName));
    case 'assertIndexExists':
      return check((await indexes()).includes(a.indexName as string), String(a.indexName));
    case 'assertIndexNotExists':
      return check(!(await indexes().catch((): string[] => [])).includes(a.indexName as string), String(a.indexName));
    case 'assertSessionPinned':
      return check(false, 'no mongos to pin to');
    case 'assertSessionUnpinned':
      return check(!session(ctx, a).transaction.isPinned, 'pinned');
    case 'assertSessionTransactionState': {
      const state = String(session(ctx, a).transaction.state)
        .replace(/^TRANSACTION_/, '')
        .toLowerCase();
      const want = String(a.state).replace('in_progress', 'in_progress');
      return check(state === want || `${state}` === `${want}_transaction`, `${state} != ${want}`);
    }
    case 'assertSessionDirty':
    case 'assertSessionNotDirty': {
      const dirty = !!(session(ctx, a) as unknown as { serverSession?: { isDirty?: boolean } }).serverSession?.isDirty;
      return check(dirty === (name === 'assertSessionDirty'), `dirty=${dirty}`);
    }
    case 'assertSameLsidOnLastTwoCommands':
    case 'assertDifferentLsidOnLastTwoCommands': {
      const ev = ctx.entities.get(`events:${a.client as string}`) as { command?: { lsid?: unknown } }[];
      const started = ev.filter((e) => e.command);
      const [x, y] = started.slice(-2).map((e) => e.command?.lsid);
      let same = true;
      try {
        match(x, y, ctx.entities, false);
      } catch {
        same = false;
      }
      return check(same === (name === 'assertSameLsidOnLastTwoCommands'), 'lsid');
    }
  }
  throw new Unsupported(`test runner operation ${name}`);
}

export async function perform(ctx: Ctx, admin: MongoClient, op: Op): Promise<unknown> {
  const a = op.arguments ?? {};
  if (op.object === 'testRunner') return runnerOp(ctx, admin, op.name, a);
  const target = ctx.entities.get(op.object);
  if (target === undefined) throw new Unsupported(`entity ${op.object}`);
  if (op.name === 'iterateUntilDocumentOrError' || op.name === 'iterateOnce') {
    return (target as { next(): Promise<unknown> }).next();
  }
  if (op.name === 'close') return (target as { close(): Promise<unknown> }).close();
  if (target instanceof MongoClient) {
    if (op.name === 'listDatabases')
      return (
        await target
          .db('admin')
          .admin()
          .listDatabases(options(ctx, a, []))
      ).databases;
    if (op.name === 'clientBulkWrite') {
      const models = (a.models as Record<string, unknown>[]).map((m) => writeModel(m, true));
      return target.bulkWrite(models as never, options(ctx, a, ['models']));
    }
    throw new Unsupported(`client operation ${op.name}`);
  }
  if (target instanceof GridFSBucket) throw new Unsupported(`bucket operation ${op.name}`);
  if ((target as Db).collection && (target as Db).databaseName && !(target as Collection).collectionName) {
    return databaseOp(ctx, target as Db, op.name, a);
  }
  if ((target as Collection).collectionName) return collectionOp(ctx, target as Collection, op.name, a);
  if ((target as ClientSession).startTransaction) return sessionOp(ctx, target as ClientSession, op.name, a);
  throw new Unsupported(`operation ${op.name} on ${op.object}`);
}
