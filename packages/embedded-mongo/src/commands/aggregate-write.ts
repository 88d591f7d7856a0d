// The writing stages of an aggregation in the embedded engine: `$out` (replaces the target collection
// atomically: the new contents are built in a fresh collection carrying the target's options and indexes and
// swapped in only when every document fits, else the target is untouched) and `$merge` (into / on /
// whenMatched / whenNotMatched / let, written document by document through the Writer like MongoDB, so writes
// before a failure stay). Must never run inside a transaction (MongoDB refuses both there).
import type { Document } from 'bson';
import { Collection } from '../collection.js';
import type { CommandContext } from '../context.js';
import { CommandError, Codes } from '../errors.js';
import { runPipeline } from '../mingo-context.js';
import { wrapTyped } from '../normalise.js';
import { find } from '../planner.js';
import { validateCollectionName } from '../store.js';
import { clone, enc, getPath, isPlainObject } from '../values.js';
import { prepareNewDoc } from './args.js';
import { evalOn } from '../let-vars.js';

export function isWriteStage(name: string | undefined): boolean {
  return name === '$out' || name === '$merge';
}

interface Target {
  db: string;
  coll: string;
}

function targetOf(ctx: CommandContext, v: unknown, stage: string): Target {
  if (typeof v === 'string') return { db: ctx.db, coll: v };
  if (isPlainObject(v) && typeof v.coll === 'string' && (v.db === undefined || typeof v.db === 'string')) {
    return { db: (v.db as string | undefined) ?? ctx.db, coll: v.coll };
  }
  throw new CommandError(
    Codes.TypeMismatch,
    `${stage} only supports a string or object argument: { db: <dbName>, coll: <collName> }`,
  );
}

/** Runs a final $out / $merge stage over the pipeline's results. */
export function runWriteStage(ctx: CommandContext, stage: Document, docs: Document[], variables?: Document): void {
  const name = Object.keys(stage)[0];
  if (ctx.txn) {
    throw new CommandError(Codes.OperationNotSupportedInTransaction, `${name} cannot be used in a transaction`);
  }
  if (name === '$out') out(ctx, targetOf(ctx, stage.$out, '$out'), docs);
  else merge(ctx, stage.$merge, docs, variables);
}

function out(ctx: CommandContext, t: Target, docs: Document[]): void {
  validateCollectionName(t.db, t.coll);
  const old = ctx.store.get(t.db, t.coll);
  if (old?.dirty.size) {
    throw new CommandError(
      Codes.WriteConflict,
      'WriteConflict error: this operation conflicted with another operation. Please retry your operation or multi-document transaction.',
    );
  }
  const next = new Collection(t.db, t.coll, old ? clone(old.options) : {});
  const specs = old ? [...old.indexes.values()].map((ix) => ix.spec) : [];
  for (const spec of specs) next.createIndex(spec);
  for (const d of docs) next.insert(prepareNewDoc(d)); // throws (E11000…) before anything is swapped in
  ctx.store.createRaw(t.db, t.coll); // makes sure the database map exists
  ctx.store.dbs.get(t.db)!.set(t.coll, next);
  if (old) ctx.writer.schema({ t: 'dropColl', db: t.db, coll: t.coll });
  ctx.writer.schema({ t: 'createColl', db: t.db, coll: t.coll, options: next.options });
  for (const spec of specs) ctx.writer.schema({ t: 'createIndex', db: t.db, coll: t.coll, spec });
  for (const d of next.docs.values()) ctx.writer.schema({ t: 'put', db: t.db, coll: t.coll, doc: wrapTyped(d) });
}

type WhenMatched = 'replace' | 'keepExisting' | 'merge' | 'fail' | Document[];
const WHEN_MATCHED = new Set(['replace', 'keepExisting', 'merge', 'fail']);
const WHEN_NOT_MATCHED = new Set(['insert', 'discard', 'fail']);

function mergeSpec(ctx: CommandContext, raw: unknown) {
  const spec: Document = typeof raw === 'string' ? { into: raw } : isPlainObject(raw) ? raw : {};
  if (spec.into === undefined) {
    throw new CommandError(Codes.FailedToParse, "BSON field '$merge.into' is missing but a required field");
  }
  for (const k of Object.keys(spec)) {
    if (!['into', 'on', 'let', 'whenMatched', 'whenNotMatched'].includes(k)) {
      throw new CommandError(40415, `BSON field '$merge.${k}' is an unknown field.`);
    }
  }
  const target = targetOf(ctx, spec.into, '$merge');
  const on = spec.on === undefined ? ['_id'] : Array.isArray(spec.on) ? spec.on : [spec.on];
  if (!on.length || !on.every((f) => typeof f === 'string')) {
    throw new CommandError(51134, "$merge 'on' field must be a string or an array of strings");
  }
  const whenMatched = (spec.whenMatched ?? 'merge') as WhenMatched;
  if (!Array.isArray(whenMatched) && !WHEN_MATCHED.has(whenMatched)) {
    throw new CommandError(
      Codes.BadValue,
      `Enumeration value '${String(whenMatched)}' for field 'whenMatched' is not a valid value.`,
    );
  }
  const whenNotMatched = String(spec.whenNotMatched ?? 'insert');
  if (!WHEN_NOT_MATCHED.has(whenNotMatched)) {
    throw new CommandError(
      Codes.BadValue,
      `Enumeration value '${whenNotMatched}' for field 'whenNotMatched' is not a valid value.`,
    );
  }
  if (spec.let !== undefined && !Array.isArray(whenMatched)) {
    throw new CommandError(51199, "Cannot use 'let' variables with 'whenMatched: " + whenMatched + "' mode");
  }
  return { target, on: on as string[], whenMatched, whenNotMatched, let: spec.let as Document | undefined };
}

/** MongoDB requires a unique index on the `on` fields (other than _id alone) of the target collection. */
function checkOnIndex(c: Collection | undefined, on: string[]): void {
  if (on.length === 1 && on[0] === '_id') return;
  const want = [...on].sort().join('\0');
  const ok =
    c &&
    [...c.indexes.values()].some(
      (ix) => ix.spec.unique && !ix.spec.partialFilterExpression && [...ix.fields].sort().join('\0') === want,
    );
  if (!ok) {
    throw new CommandError(51183, 'Cannot find index to verify that join fields will be unique');
  }
}

function merge(ctx: CommandContext, raw: unknown, docs: Document[], variables?: Document): void {
  const spec = mergeSpec(ctx, raw);
  const { db, coll } = spec.target;
  validateCollectionName(db, coll);
  checkOnIndex(ctx.store.get(db, coll), spec.on);
  for (const d of docs) {
    const filter: Document = {};
    for (const f of spec.on) {
      const v = getPath(d, f);
      if (v === undefined || v === null || Array.isArray(v)) {
        throw new CommandError(
          51132,
          `$merge write error: 'on' field '${f}' cannot be missing, null, undefined or an array`,
        );
      }
      filter[f] = { $eq: v };
    }
    const c = ctx.store.get(db, coll);
    const existing = find(c, filter, { limit: 1 }, ctx.store.stats, ctx.txn).docs[0];
    if (!existing) {
      if (spec.whenNotMatched === 'discard') continue;
      if (spec.whenNotMatched === 'fail') {
        throw new CommandError(
          13113,
          '$merge could not find a matching document in the target collection for at least one document in the source collection',
        );
      }
      ctx.writer.insert(ctx.writer.ensure(db, coll), prepareNewDoc(clone(d)));
      continue;
    }
    const wm = spec.whenMatched;
    if (wm === 'keepExisting') continue;
    if (wm === 'fail') {
      ctx.writer.insert(c!, prepareNewDoc(clone(d))); // the duplicate key error MongoDB reports
      continue;
    }
    let next: Document;
    if (wm === 'replace') next = { ...clone(d) };
    else if (wm === 'merge') next = { ...existing, ...clone(d) };
    else next = pipelineMerge(existing, d, wm, spec.let, variables);
    if (next._id === undefined) next = { _id: existing._id, ...next };
    if (enc(next._id) !== enc(existing._id)) {
      throw new CommandError(
        Codes.ImmutableField,
        "$merge failed to update the matching document, did you attempt to modify the _id or the shard key? :: caused by :: Performing an update on the path '_id' would modify the immutable field '_id'",
      );
    }
    ctx.writer.replace(c!, existing, next);
  }
}

function pipelineMerge(
  existing: Document,
  incoming: Document,
  stages: Document[],
  letSpec: Document | undefined,
  variables?: Document,
): Document {
  const vars: Document = { ...variables };
  if (letSpec === undefined) vars.new = clone(incoming);
  else {
    for (const [k, expr] of Object.entries(letSpec)) vars[k] = evalOn(clone(incoming), expr, variables);
  }
  const [res] = runPipeline([clone(existing)], stages, undefined, vars);
  if (!res) throw new CommandError(Codes.BadValue, '$merge pipeline produced no document');
  return res;
}
