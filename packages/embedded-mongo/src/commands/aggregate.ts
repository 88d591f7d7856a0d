// The aggregate command of the embedded engine: a leading $match goes through the index planner, the matched
// documents are deep-cloned (so no stage can ever mutate stored documents) and the rest of the pipeline runs in
// mingo with the engine's operator context; $lookup/$unionWith/$graphLookup read other collections of the
// same database. Must never write ($out/$merge are refused).
import type { Document } from 'bson';
import type { CommandContext, Handler } from '../context.js';
import { CommandError, Codes } from '../errors.js';
import { runPipeline } from '../mingo-context.js';
import { find, type FindResult } from '../planner.js';
import { clone, isPlainObject } from '../values.js';
import { docArg, num, rejectUnsupported } from './args.js';
import { validateStages } from '../pipeline-check.js';
import { SEARCH_STAGES, searchNotEnabled } from './search.js';

function validatePipeline(pipeline: unknown): Document[] {
  if (!Array.isArray(pipeline)) throw new CommandError(Codes.TypeMismatch, "'pipeline' must be an array");
  for (const stage of pipeline) {
    if (!isPlainObject(stage) || Object.keys(stage).length !== 1) {
      throw new CommandError(Codes.Location, 'A pipeline stage specification object must contain exactly one field.');
    }
    if (SEARCH_STAGES.has(Object.keys(stage)[0])) throw searchNotEnabled();
  }
  validateStages(pipeline as Document[]);
  return pipeline as Document[];
}

/** Runs the leading $match (if any) through the planner. */
export function aggregatePlan(
  ctx: CommandContext,
  name: string,
  rawPipeline: unknown,
): FindResult & { rest: Document[] } {
  const pipeline = validatePipeline(rawPipeline);
  let filter: Document = {};
  let rest = pipeline;
  if (pipeline.length && '$match' in pipeline[0] && isPlainObject(pipeline[0].$match)) {
    const m = pipeline[0].$match;
    // $expr / $text need the full mingo pipeline context; a plain filter can use the planner.
    filter = m;
    rest = pipeline.slice(1);
  }
  const res = find(ctx.store.get(ctx.db, name), filter, {}, ctx.store.stats, ctx.txn);
  return { ...res, rest };
}

const aggregate: Handler = (cmd, ctx) => {
  rejectUnsupported(cmd, []);
  if (cmd.explain) {
    throw new CommandError(Codes.CommandNotSupported, 'use the explain command to explain an aggregation');
  }
  const target = cmd.aggregate;
  const resolver = (coll: string): Document[] => {
    return find(ctx.store.get(ctx.db, coll), {}, {}, ctx.store.stats, ctx.txn).docs.map(clone);
  };
  let out: Document[];
  let ns: string;
  if (typeof target === 'string') {
    ns = `${ctx.db}.${target}`;
    const planned = aggregatePlan(ctx, target, cmd.pipeline);
    const input = planned.docs.map(clone);
    out = planned.rest.length ? runPipeline(input, planned.rest, resolver, docArg(cmd.let, 'let')) : input;
  } else if (target === 1 || (typeof target === 'number' && target === 1)) {
    ns = `${ctx.db}.$cmd.aggregate`;
    const pipeline = validatePipeline(cmd.pipeline);
    if (!pipeline.length || !('$documents' in pipeline[0])) {
      throw new CommandError(
        Codes.CommandNotSupported,
        'database-level aggregations other than $documents are not supported by the embedded database engine',
      );
    }
    out = runPipeline([], pipeline, resolver, docArg(cmd.let, 'let'));
  } else {
    throw new CommandError(Codes.TypeMismatch, "'aggregate' must be a collection name or 1");
  }
  const cursorOpt = docArg(cmd.cursor, 'cursor');
  const batchSize = cursorOpt.batchSize === undefined ? undefined : num(cursorOpt.batchSize, 'batchSize', 101);
  return { cursor: ctx.cursors.create(ns, out, batchSize, false, ctx.lsid), ok: 1 };
};

export const aggregateCommands: Record<string, Handler> = { aggregate };
