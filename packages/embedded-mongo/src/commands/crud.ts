// Read and insert/delete commands of the embedded engine: insert, find, getMore, killCursors, delete, count,
// distinct and explain. Write errors follow MongoDB (writeErrors with index; ordered stops at the first error,
// unordered continues; n counts successes). Must never mutate a stored document (the Writer replaces them).
import type { Document } from 'bson';
import type { Handler } from '../context.js';
import { CommandError, Codes, toCommandError } from '../errors.js';
import { find, project, type FindOptions, type FindResult } from '../planner.js';
import { hintOrder } from '../hint.js';
import { compareValues, enc, pathValues } from '../values.js';
import { aggregatePlan } from './aggregate.js';
import { checkFilter, collName, docArg, num, prepareNewDoc, rejectUnsupported } from './args.js';

const insert: Handler = (cmd, ctx) => {
  const name = collName(cmd, 'insert');
  const docs = cmd.documents;
  if (!Array.isArray(docs)) throw new CommandError(Codes.TypeMismatch, "'documents' must be an array");
  const ordered = cmd.ordered !== false;
  const c = ctx.writer.ensure(ctx.db, name);
  let n = 0;
  const writeErrors: Document[] = [];
  for (let i = 0; i < docs.length; i++) {
    try {
      ctx.writer.insert(c, prepareNewDoc(docs[i]));
      n++;
    } catch (e) {
      writeErrors.push(toCommandError(e).toWriteError(i));
      if (ordered) break;
    }
  }
  return writeErrors.length ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
};

function findArgs(cmd: Document): { filter: Document; opts: FindOptions; singleBatch: boolean } {
  rejectUnsupported(cmd, ['tailable', 'awaitData', 'min', 'max', 'returnKey', 'showRecordId', 'oplogReplay']);
  const filter = checkFilter(docArg(cmd.filter, 'filter'));
  let limit = num(cmd.limit, 'limit', 0);
  let singleBatch = cmd.singleBatch === true;
  if (limit < 0) {
    limit = -limit;
    singleBatch = true;
  }
  const skip = num(cmd.skip, 'skip', 0);
  if (skip < 0) throw new CommandError(Codes.BadValue, 'skip value must be non-negative');
  return {
    filter,
    opts: { sort: docArg(cmd.sort, 'sort'), skip, limit, projection: docArg(cmd.projection, 'projection') },
    singleBatch,
  };
}

const findCmd: Handler = (cmd, ctx) => {
  const name = collName(cmd, 'find');
  const { filter, opts, singleBatch } = findArgs(cmd);
  const coll = ctx.store.get(ctx.db, name);
  const hinted = cmd.hint === undefined ? null : hintOrder(coll, cmd.hint);
  if (hinted && !(opts.sort && Object.keys(opts.sort).length)) {
    if ('sort' in hinted) opts.sort = hinted.sort;
    else if (hinted.natural === -1) return reverseFind(cmd, ctx, name, filter, opts, singleBatch);
  }
  const res = find(coll, filter, opts, ctx.store.stats, ctx.txn);
  const batchSize = cmd.batchSize === undefined ? undefined : num(cmd.batchSize, 'batchSize', 101);
  const cursor = ctx.cursors.create(`${ctx.db}.${name}`, res.docs, batchSize, singleBatch, ctx.lsid);
  return { cursor, ok: 1 };
};

/** A find hinted `{$natural: -1}`: insertion order backwards (skip/limit/projection applied after reversing). */
function reverseFind(
  cmd: Document,
  ctx: Parameters<Handler>[1],
  name: string,
  filter: Document,
  opts: FindOptions,
  singleBatch: boolean,
): Document {
  const all = find(ctx.store.get(ctx.db, name), filter, {}, ctx.store.stats, ctx.txn).docs.reverse();
  const skip = opts.skip ?? 0;
  let docs = opts.limit ? all.slice(skip, skip + opts.limit) : all.slice(skip);
  if (opts.projection && Object.keys(opts.projection).length) docs = project(docs, opts.projection, filter);
  const batchSize = cmd.batchSize === undefined ? undefined : num(cmd.batchSize, 'batchSize', 101);
  return { cursor: ctx.cursors.create(`${ctx.db}.${name}`, docs, batchSize, singleBatch, ctx.lsid), ok: 1 };
}

const getMore: Handler = (cmd, ctx) => {
  const name = collName(cmd, 'collection');
  const batchSize = cmd.batchSize === undefined ? undefined : num(cmd.batchSize, 'batchSize', 0);
  return { cursor: ctx.cursors.getMore(cmd.getMore, `${ctx.db}.${name}`, batchSize), ok: 1 };
};

const killCursors: Handler = (cmd, ctx) => {
  collName(cmd, 'killCursors');
  if (!Array.isArray(cmd.cursors)) throw new CommandError(Codes.TypeMismatch, "'cursors' must be an array");
  return { ...ctx.cursors.kill(cmd.cursors), ok: 1 };
};

const deleteCmd: Handler = (cmd, ctx) => {
  const name = collName(cmd, 'delete');
  const deletes = cmd.deletes;
  if (!Array.isArray(deletes)) throw new CommandError(Codes.TypeMismatch, "'deletes' must be an array");
  const ordered = cmd.ordered !== false;
  const c = ctx.store.get(ctx.db, name);
  let n = 0;
  const writeErrors: Document[] = [];
  for (let i = 0; i < deletes.length; i++) {
    try {
      const d = docArg(deletes[i], 'deletes');
      rejectUnsupported(d, []);
      const limit = num(d.limit, 'limit', 0);
      if (limit !== 0 && limit !== 1)
        throw new CommandError(Codes.FailedToParse, 'The limit field in delete objects must be 0 or 1');
      const found = find(c, checkFilter(docArg(d.q, 'q')), { limit }, ctx.store.stats, ctx.txn).docs;
      for (const doc of found) {
        ctx.writer.remove(c!, doc);
        n++;
      }
    } catch (e) {
      writeErrors.push(toCommandError(e).toWriteError(i));
      if (ordered) break;
    }
  }
  return writeErrors.length ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
};

const count: Handler = (cmd, ctx) => {
  const name = collName(cmd, 'count');
  rejectUnsupported(cmd, []);
  const filter = checkFilter(docArg(cmd.query, 'query'));
  const skip = Math.max(0, num(cmd.skip, 'skip', 0));
  const limit = Math.abs(num(cmd.limit, 'limit', 0));
  const c = ctx.store.get(ctx.db, name);
  if (!c) return { n: 0, ok: 1 };
  if (Object.keys(filter).length === 0 && c.dirty.size === 0) {
    const total = Math.max(0, c.docs.size - skip);
    return { n: limit ? Math.min(limit, total) : total, ok: 1 };
  }
  return { n: find(c, filter, { skip, limit }, ctx.store.stats, ctx.txn).docs.length, ok: 1 };
};

const distinct: Handler = (cmd, ctx) => {
  const name = collName(cmd, 'distinct');
  rejectUnsupported(cmd, []);
  if (typeof cmd.key !== 'string' || !cmd.key) throw new CommandError(Codes.TypeMismatch, "'key' must be a string");
  const key = cmd.key;
  const docs = find(
    ctx.store.get(ctx.db, name),
    checkFilter(docArg(cmd.query, 'query')),
    {},
    ctx.store.stats,
    ctx.txn,
  ).docs;
  const seen = new Map<string, unknown>();
  for (const d of docs) {
    for (const v of pathValues(d, key)) {
      if (v === undefined || (Array.isArray(v) && v.length === 0)) continue;
      const k = enc(v);
      if (!seen.has(k)) seen.set(k, v);
    }
  }
  return { values: [...seen.values()].sort(compareValues), ok: 1 };
};

function explainPlan(res: FindResult, ns: string): Document {
  const p = res.plan;
  const winningPlan =
    p.stage === 'COLLSCAN' || p.stage === 'EOF'
      ? { stage: p.stage }
      : {
          stage: 'FETCH',
          inputStage: {
            stage: p.stage,
            indexName: p.indexName,
            keysExamined: p.keysExamined,
            ...(p.direction ? { keyPattern: p.keyPattern, direction: p.direction, ranges: p.ranges } : {}),
          },
        };
  return {
    queryPlanner: { namespace: ns, winningPlan, rejectedPlans: [] },
    executionStats: {
      executionSuccess: true,
      nReturned: res.docs.length,
      totalDocsExamined: res.docsExamined,
      totalKeysExamined: p.keysExamined,
      executionStages: winningPlan,
    },
    serverInfo: { host: 'embedded', version: '7.0.0' },
    ok: 1,
  };
}

const explain: Handler = (cmd, ctx) => {
  const inner = docArg(cmd.explain, 'explain');
  const verb = Object.keys(inner)[0];
  if (verb === 'find') {
    const name = collName(inner, 'find');
    const { filter, opts } = findArgs(inner);
    return explainPlan(find(ctx.store.get(ctx.db, name), filter, opts, ctx.store.stats, ctx.txn), `${ctx.db}.${name}`);
  }
  if (verb === 'count') {
    const name = collName(inner, 'count');
    return explainPlan(
      find(ctx.store.get(ctx.db, name), checkFilter(docArg(inner.query, 'query')), {}, ctx.store.stats, ctx.txn),
      `${ctx.db}.${name}`,
    );
  }
  if (verb === 'aggregate') {
    const name = collName(inner, 'aggregate');
    return explainPlan(aggregatePlan(ctx, name, inner.pipeline), `${ctx.db}.${name}`);
  }
  throw new CommandError(
    Codes.CommandNotSupported,
    `explain of '${verb}' is not supported by the embedded database engine`,
  );
};

export const crudCommands: Record<string, Handler> = {
  insert,
  find: findCmd,
  getMore,
  killCursors,
  delete: deleteCmd,
  count,
  distinct,
  explain,
};
