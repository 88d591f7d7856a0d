// The aggregate command of the embedded engine: a leading $match goes through the index planner, the matched
// documents are deep-cloned (so no stage can ever mutate stored documents) and the rest of the pipeline runs in
// mingo with the engine's operator context and the command's `let` variables; $lookup/$unionWith/$graphLookup
// read other collections of the same database. A final $out/$merge hands the results to aggregate-write.ts.
// Database-level aggregations (`aggregate: 1`) start with $documents, $listLocalSessions or $currentOp.
// Must never write except through that final stage.
import type { Document } from 'bson';
import type { CommandContext, Handler } from '../context.js';
import { CommandError, Codes } from '../errors.js';
import { parseCollation, type Collation } from '../collation.js';
import { letVariables } from '../let-vars.js';
import { runPipeline } from '../mingo-context.js';
import { find, type FindResult } from '../planner.js';
import { clone, isPlainObject } from '../values.js';
import { docArg, num, rejectUnsupported } from './args.js';
import { validateFilter } from '../query-check.js';
import { SEARCH_STAGES, searchNotEnabled } from './search.js';
import { isWriteStage, runWriteStage } from './aggregate-write.js';

function validatePipeline(pipeline: unknown): Document[] {
  if (!Array.isArray(pipeline)) throw new CommandError(Codes.TypeMismatch, "'pipeline' must be an array");
  for (const stage of pipeline) {
    if (!isPlainObject(stage) || Object.keys(stage).length !== 1) {
      throw new CommandError(Codes.Location, 'A pipeline stage specification object must contain exactly one field.');
    }
    if (isPlainObject(stage.$match)) validateFilter(stage.$match);
    if (SEARCH_STAGES.has(Object.keys(stage)[0])) throw searchNotEnabled();
  }
  pipeline.forEach((stage: Document, i: number) => {
    const name = Object.keys(stage)[0];
    if (isWriteStage(name) && i !== pipeline.length - 1) {
      throw new CommandError(40601, `${name} can only be the final stage in the pipeline`);
    }
  });
  return pipeline as Document[];
}

/** Runs the leading $match (if any) through the planner. */
export function aggregatePlan(
  ctx: CommandContext,
  name: string,
  rawPipeline: unknown,
  variables?: Document,
  collation?: Collation | null,
): FindResult & { rest: Document[] } {
  const pipeline = validatePipeline(rawPipeline);
  let filter: Document = {};
  let rest = pipeline;
  if (pipeline.length && '$match' in pipeline[0] && isPlainObject(pipeline[0].$match)) {
    filter = pipeline[0].$match;
    rest = pipeline.slice(1);
  }
  if (collation && !rest.every(collationFree)) {
    throw new CommandError(
      Codes.NotImplemented,
      'collation in aggregations beyond a leading $match followed by $skip/$limit/$count/counting $group is not supported by the embedded database engine',
    );
  }
  const res = find(ctx.store.get(ctx.db, name), filter, { variables, collation }, ctx.store.stats, ctx.txn);
  return { ...res, rest };
}

/** Stages whose result cannot depend on string comparison (what countDocuments sends after its $match). */
function collationFree(stage: Document): boolean {
  const name = Object.keys(stage)[0];
  if (name === '$skip' || name === '$limit' || name === '$count') return true;
  if (name !== '$group' || !isPlainObject(stage.$group)) return false;
  const { _id, ...acc } = stage.$group;
  if (typeof _id === 'string' || isPlainObject(_id) || Array.isArray(_id)) return false;
  return Object.values(acc).every((a) => isPlainObject(a) && Object.keys(a).length === 1 && typeof a.$sum === 'number');
}

/** The documents a database-level aggregation's first stage produces (and the stages after it). */
function databaseSource(cmd: Document, ctx: CommandContext, pipeline: Document[]): [Document[], Document[]] {
  const first = pipeline[0] ?? {};
  const stage = Object.keys(first)[0];
  if (stage === '$documents') return [[], pipeline];
  if (stage === '$listLocalSessions') {
    docArg(first.$listLocalSessions, '$listLocalSessions');
    return [ctx.sessions.list(), pipeline.slice(1)];
  }
  if (stage === '$currentOp') {
    if (ctx.db !== 'admin') {
      throw new CommandError(
        Codes.InvalidNamespace,
        "$currentOp must be run against the 'admin' database with {aggregate: 1}",
      );
    }
    docArg(first.$currentOp, '$currentOp');
    const self = { type: 'op', active: true, op: 'command', ns: 'admin.$cmd.aggregate', command: clone(cmd) };
    return [[self], pipeline.slice(1)];
  }
  throw new CommandError(
    Codes.InvalidNamespace,
    `{aggregate: 1} is not valid for '${stage ?? 'an empty pipeline'}'; a collection is required.`,
  );
}

const aggregate: Handler = (cmd, ctx) => {
  rejectUnsupported(cmd, [], true);
  const collation = parseCollation(cmd.collation);
  if (cmd.explain) {
    throw new CommandError(Codes.CommandNotSupported, 'use the explain command to explain an aggregation');
  }
  const target = cmd.aggregate;
  const variables = letVariables(cmd.let);
  const resolver = (coll: string): Document[] => {
    return find(ctx.store.get(ctx.db, coll), {}, {}, ctx.store.stats, ctx.txn).docs.map(clone);
  };
  let out: Document[];
  let ns: string;
  let stages: Document[];
  if (typeof target === 'string') {
    ns = `${ctx.db}.${target}`;
    const planned = aggregatePlan(ctx, target, cmd.pipeline, variables, collation);
    const input = planned.docs.map(clone);
    stages = planned.rest;
    out = input;
  } else if (target === 1) {
    if (collation)
      throw new CommandError(Codes.NotImplemented, 'collation is not supported by the embedded database engine');
    ns = `${ctx.db}.$cmd.aggregate`;
    [out, stages] = databaseSource(cmd, ctx, validatePipeline(cmd.pipeline));
  } else {
    throw new CommandError(Codes.TypeMismatch, "'aggregate' must be a collection name or 1");
  }
  const last = stages[stages.length - 1];
  const write = last && isWriteStage(Object.keys(last)[0]) ? last : null;
  if (write) stages = stages.slice(0, -1);
  if (stages.length) out = runPipeline(out, stages, resolver, variables);
  if (write) {
    runWriteStage(ctx, write, out, variables);
    out = [];
  }
  const cursorOpt = docArg(cmd.cursor, 'cursor');
  const batchSize = cursorOpt.batchSize === undefined ? undefined : num(cursorOpt.batchSize, 'batchSize', 101);
  return { cursor: ctx.cursors.create(ns, out, batchSize, false, ctx.lsid), ok: 1 };
};

export const aggregateCommands: Record<string, Handler> = { aggregate };
