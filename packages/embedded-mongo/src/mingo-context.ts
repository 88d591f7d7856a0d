// The mingo operator context of the embedded engine: every query/projection/aggregation evaluation goes through
// here so BSON-aware fixes apply everywhere ($type "objectId", $toString/$toObjectId on ObjectId, $count on
// empty input yields nothing, $out/$merge/scripts refused). Must never mutate its inputs or touch the store.
import { ObjectId, type Document } from 'bson';
import { Context, ProcessingMode } from 'mingo';
import { Aggregator } from 'mingo/aggregator';
import { Lazy, type Iterator } from 'mingo/lazy';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import { Query } from 'mingo/query';
import type { Options } from 'mingo/types';
import { evalExpr } from 'mingo/core';
import { CommandError, Codes } from './errors.js';
import { numTypeOf } from './normalise.js';
import { pathValues, typeAlias } from './values.js';

type AnyFn = (...args: any[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any

const TYPE_NUMBERS: Record<number, string> = {
  1: 'double',
  2: 'string',
  3: 'object',
  4: 'array',
  5: 'binData',
  6: 'undefined',
  7: 'objectId',
  8: 'bool',
  9: 'date',
  10: 'null',
  11: 'regex',
  13: 'javascript',
  14: 'symbol',
  16: 'int',
  17: 'timestamp',
  18: 'long',
  19: 'decimal',
  [-1]: 'minKey',
  127: 'maxKey',
};

function typeMatches(actual: string, wanted: unknown): boolean {
  const name = typeof wanted === 'number' ? TYPE_NUMBERS[wanted] : String(wanted);
  if (!name) throw new CommandError(Codes.BadValue, `Invalid numerical type code: ${String(wanted)}`);
  if (name === 'number') return actual === 'int' || actual === 'long' || actual === 'double';
  return actual === name;
}

/** Query `$type` with MongoDB aliases (objectId, binData, …), stored number types and array semantics. */
function $typeQuery(selector: string, value: unknown): (obj: Document) => boolean {
  const wanted = Array.isArray(value) ? value : [value];
  const matches = (alias: string): boolean => wanted.some((w) => typeMatches(alias, w));
  return (obj) => {
    for (const [container, key] of fieldSlots(obj, selector)) {
      const v = (container as Document)[key];
      if (v === undefined) continue;
      if (matches(aliasAt(container, key, v))) return true;
      // an array field also matches by the type of its elements
      if (Array.isArray(v)) for (let i = 0; i < v.length; i++) if (matches(aliasAt(v, String(i), v[i]))) return true;
    }
    return false;
  };
}

function aliasAt(container: object, key: string, v: unknown): string {
  if (typeof v === 'number') {
    const t = numTypeOf(container, key);
    if (t) return t;
  }
  return typeAlias(v);
}

/** (container, key) pairs a dotted path reaches, expanding intermediate arrays. */
function fieldSlots(obj: Document, path: string): [object, string][] {
  const dot = path.lastIndexOf('.');
  const leaf = path.slice(dot + 1);
  const parents = dot < 0 ? [obj] : pathValues(obj, path.slice(0, dot));
  const out: [object, string][] = [];
  for (const p of parents) {
    if (p !== null && typeof p === 'object' && !Array.isArray(p)) out.push([p, leaf]);
    else if (Array.isArray(p) && /^\d+$/.test(leaf)) out.push([p, leaf]);
  }
  return out;
}

/** DBRef field names: queried as fields (`{r: {$ref: 'x', $id: 1}}`, `{$elemMatch: {$id: 1}}`), never operators. */
const DBREF_FIELDS = ['$ref', '$id', '$db'];

/** `{field: {$ref|$id|$db: v}}`: the DBRef at `field` (or an element of it) has that field equal to / matching v. */
const dbrefField =
  (name: string) =>
  (selector: string, value: unknown, options: Options): ((obj: Document) => boolean) => {
    const q = new Query({ v: value }, options);
    return (obj) =>
      pathValues(obj, selector).some(
        (r) => r !== null && typeof r === 'object' && q.test({ v: (r as Document)[name] }),
      );
  };

const origElemMatch = queryOperators.$elemMatch as AnyFn;
/** `$elemMatch` whose criteria name DBRef fields (`{$id: 1}`): those are tested on each element, the rest as usual. */
function $elemMatch(selector: string, value: unknown, options: Options): (obj: Document) => boolean {
  if (value === null || typeof value !== 'object' || !DBREF_FIELDS.some((k) => k in (value as Document))) {
    return origElemMatch(selector, value, options) as (obj: Document) => boolean;
  }
  const crit = value as Document;
  const refs = DBREF_FIELDS.filter((k) => k in crit).map((k) => [k, new Query({ v: crit[k] }, options)] as const);
  const restKeys = Object.keys(crit).filter((k) => !DBREF_FIELDS.includes(k));
  const rest = restKeys.length ? new Query(Object.fromEntries(restKeys.map((k) => [k, crit[k]])), options) : null;
  const matches = (e: unknown): boolean =>
    e !== null &&
    typeof e === 'object' &&
    !Array.isArray(e) &&
    refs.every(([k, q]) => q.test({ v: (e as Document)[k] })) &&
    (!rest || rest.test(e as Document));
  return (obj) =>
    fieldSlots(obj, selector).some(([c, k]) => {
      const v = (c as Document)[k];
      return Array.isArray(v) && v.some(matches);
    });
}

/** Projection `$elemMatch`: the first element matching; operator-only criteria (`{$gt: 1}`) test the element itself. */
function $elemMatchProjection(obj: Document, expr: unknown, field: string, options: Options): unknown {
  const arr = obj[field];
  if (!Array.isArray(arr) || expr === null || typeof expr !== 'object') return undefined;
  const keys = Object.keys(expr);
  const onValue =
    keys.length > 0 && keys.every((k) => k.startsWith('$') && !['$and', '$or', '$nor', '$expr'].includes(k));
  const q = new Query(onValue ? { v: expr } : (expr as Document), options);
  const hit = arr.find((e) => (onValue ? q.test({ v: e }) : e !== null && typeof e === 'object' && q.test(e)));
  return hit === undefined ? undefined : [hit];
}

const origToString = expressionOperators.$toString as AnyFn;
function $toString(obj: unknown, expr: unknown, options: Options): unknown {
  const v = evalExpr(obj, expr, options);
  if (v instanceof ObjectId) return v.toHexString();
  return origToString(obj, expr, options);
}

function $toObjectId(obj: unknown, expr: unknown, options: Options): unknown {
  const v = evalExpr(obj, expr, options);
  if (v === null || v === undefined) return null;
  if (v instanceof ObjectId) return v;
  if (typeof v === 'string' && /^[0-9a-fA-F]{24}$/.test(v)) return new ObjectId(v);
  throw new CommandError(Codes.BadValue, `Failed to parse objectId '${String(v)}' in $convert with no onError value`);
}

function $typeExpr(obj: unknown, expr: unknown, options: Options): unknown {
  return typeAlias(evalExpr(obj, expr, options));
}

/** `$count` that, like MongoDB, emits no document for an empty input. */
function $count(coll: Iterator, expr: unknown): Iterator {
  if (typeof expr !== 'string' || !expr.trim() || expr.includes('.') || expr.startsWith('$')) {
    throw new CommandError(Codes.BadValue, '$count expression must evaluate to valid field name');
  }
  const n = coll.collect().length;
  return Lazy(n === 0 ? [] : [{ [expr]: n }]);
}

const refused = (name: string) => () => {
  throw new CommandError(Codes.CommandNotSupported, `${name} is not supported by the embedded database engine`);
};

const pipeline: Record<string, AnyFn> = { ...(pipelineOperators as unknown as Record<string, AnyFn>), $count };
pipeline.$out = refused('$out');
pipeline.$merge = refused('$merge');

const CONTEXT = Context.init({
  accumulator: accumulatorOperators as never,
  expression: {
    ...(expressionOperators as unknown as Record<string, AnyFn>),
    $toString,
    $toObjectId,
    $type: $typeExpr,
  } as never,
  pipeline: pipeline as never,
  projection: {
    ...(projectionOperators as unknown as Record<string, AnyFn>),
    $elemMatch: $elemMatchProjection,
  } as never,
  query: {
    ...(queryOperators as unknown as Record<string, AnyFn>),
    $type: $typeQuery,
    $elemMatch,
    $ref: dbrefField('$ref'),
    $id: dbrefField('$id'),
    $db: dbrefField('$db'),
  } as never,
  window: windowOperators as never,
});

export type CollectionResolver = (name: string) => Document[];

export function mingoOptions(resolver?: CollectionResolver, variables?: Document): Partial<Options> {
  return {
    context: CONTEXT,
    processingMode: ProcessingMode.CLONE_OFF,
    scriptEnabled: false,
    useStrictMode: true,
    collectionResolver: resolver,
    variables,
  };
}

const BASE_OPTIONS = mingoOptions();

/** Compiles a filter; `$comment` is dropped. Errors (unknown operators…) surface as BadValue. */
export function compileQuery(filter: Document): Query {
  let f = filter;
  if ('$comment' in f) {
    f = { ...f };
    delete f.$comment;
  }
  try {
    return new Query(f, BASE_OPTIONS);
  } catch (e) {
    const err = asBadValue(e);
    const m = /^unknown query operator (\$\S+)/.exec(err.message);
    throw m ? new CommandError(Codes.BadValue, `unknown operator: ${m[1]}`) : err;
  }
}

export function runPipeline(
  docs: Document[],
  stages: Document[],
  resolver?: CollectionResolver,
  variables?: Document,
): Document[] {
  try {
    return new Aggregator(stages, mingoOptions(resolver, variables)).run(docs) as Document[];
  } catch (e) {
    const err = asBadValue(e);
    const stage = /^unregistered pipeline operator (\$\w+)/.exec(err.message);
    if (stage)
      throw new CommandError(Codes.UnrecognizedPipelineStage, `Unrecognized pipeline stage name: '${stage[1]}'`);
    throw err;
  }
}

export function asBadValue(e: unknown): CommandError {
  if (e instanceof CommandError) return e;
  return new CommandError(Codes.BadValue, e instanceof Error ? e.message : String(e));
}

export { CONTEXT as MINGO_CONTEXT };
