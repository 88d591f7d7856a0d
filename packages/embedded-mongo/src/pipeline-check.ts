// Up-front validation of aggregation pipelines (aggregate, sub-pipelines of $lookup/$unionWith/$facet, pipeline
// updates), as MongoDB parses them before reading anything: unknown stage → 40324 (a real MongoDB stage the
// engine lacks: CommandNotSupported 115, saying so), a $match filter's operators
// (BadValue 2), expressions of the stages that take them (168), $group accumulators (15952). Stages it does not
// know the shape of are left to mingo. Pure: must never evaluate anything or touch the store.
import type { Document } from 'bson';
import { CommandError, Codes } from './errors.js';
import { knownOperator, validateExpression } from './expr-check.js';
import { validateFilter } from './query-check.js';
import { isPlainObject } from './values.js';

const UNKNOWN_GROUP_OPERATOR = 15952;

/** MongoDB stages the engine does not implement: refused as not supported rather than as unknown (40324). */
const UNSUPPORTED_STAGES = new Set([
  '$changeStream',
  '$changeStreamSplitLargeEvent',
  '$collStats',
  '$currentOp',
  '$indexStats',
  '$listLocalSessions',
  '$listSessions',
  '$listSampledQueries',
  '$planCacheStats',
  '$queryStats',
  '$shardedDataDistribution',
  '$geoNear',
  '$documents',
  '$out',
  '$merge',
]);

/** Validates every stage of `stages` (each already known to be a one-field object). */
export function validateStages(stages: Document[]): void {
  for (const stage of stages) {
    if (!isPlainObject(stage)) continue;
    const name = Object.keys(stage)[0];
    if (name === undefined) continue;
    if (UNSUPPORTED_STAGES.has(name) && !knownOperator('pipeline', name)) {
      throw new CommandError(Codes.CommandNotSupported, `${name} is not supported by the embedded database engine`);
    }
    if (!knownOperator('pipeline', name)) {
      throw new CommandError(Codes.UnrecognizedPipelineStage, `Unrecognized pipeline stage name: '${name}'`);
    }
    validateStage(name, stage[name]);
  }
}

function subPipeline(v: unknown): void {
  if (!Array.isArray(v)) return;
  for (const s of v) {
    if (!isPlainObject(s) || Object.keys(s).length !== 1) {
      throw new CommandError(Codes.Location, 'A pipeline stage specification object must contain exactly one field.');
    }
  }
  validateStages(v as Document[]);
}

function validateStage(name: string, arg: unknown): void {
  switch (name) {
    case '$match':
      if (isPlainObject(arg)) validateFilter(arg);
      return;
    case '$addFields':
    case '$set':
    case '$project':
    case '$replaceWith':
    case '$redact':
    case '$sortByCount':
      validateExpression(arg);
      return;
    case '$replaceRoot':
      if (isPlainObject(arg)) validateExpression(arg.newRoot);
      return;
    case '$bucket':
    case '$bucketAuto':
      if (isPlainObject(arg)) {
        validateExpression(arg.groupBy);
        if (isPlainObject(arg.output)) validateAccumulators(arg.output);
      }
      return;
    case '$group':
      if (isPlainObject(arg)) {
        validateExpression(arg._id);
        const { _id: _drop, ...rest } = arg;
        void _drop;
        validateAccumulators(rest);
      }
      return;
    case '$lookup':
    case '$unionWith':
      if (isPlainObject(arg)) subPipeline(arg.pipeline);
      return;
    case '$facet':
      if (isPlainObject(arg)) for (const p of Object.values(arg)) subPipeline(p);
      return;
    default:
      return;
  }
}

function validateAccumulators(fields: Document): void {
  for (const [field, spec] of Object.entries(fields)) {
    if (!isPlainObject(spec)) continue;
    const op = Object.keys(spec)[0];
    if (op === undefined) continue;
    if (!knownOperator('accumulator', op)) {
      throw new CommandError(UNKNOWN_GROUP_OPERATOR, `unknown group operator '${op}' (field '${field}')`);
    }
    validateExpression(spec[op]);
  }
}
