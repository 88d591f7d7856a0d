// Update semantics of the embedded engine: parses update documents (operators, replacement, pipeline),
// validates them like MongoDB (unknown modifier, conflicting paths → 40, _id changes → 66), builds upsert
// documents from the filter and applies $setOnInsert. Works on a private deep copy and returns a new document:
// must never mutate the stored document it is given.
import { ObjectId, type Document } from 'bson';
import { update as mingoUpdate } from 'mingo/updater';
import { CommandError, Codes } from './errors.js';
import { asBadValue, mingoOptions, runPipeline } from './mingo-context.js';
import { copyEntry, isTyped, markTyped } from './normalise.js';
import { applyNative, NATIVE_OPS } from './update-ops.js';
import { applyPull, validatePull } from './update-pull.js';
import { validateStages } from './pipeline-check.js';
import { applyArrayOp, ARRAY_NATIVE_OPS } from './update-array.js';
import { checkArrayFilters, resolvePositional, type ArrayFilterMap } from './update-positional.js';
import { clone, deepEqual, enc, formatValue, getPath, isPlainObject, setPath, typeAlias } from './values.js';

export type UpdateSpec =
  | { kind: 'replace'; doc: Document }
  | { kind: 'ops'; ops: Document; positional: boolean; arrayPaths: boolean }
  | { kind: 'pipeline'; stages: Document[] };

const OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$push',
  '$addToSet',
  '$pull',
  '$pullAll',
  '$pop',
  '$currentDate',
  '$bit',
  '$setOnInsert',
]);
const PIPELINE_STAGES = new Set(['$addFields', '$set', '$project', '$unset', '$replaceRoot', '$replaceWith']);

const QUERY_OPTIONS = mingoOptions();

export function parseUpdate(u: unknown): UpdateSpec {
  if (Array.isArray(u)) {
    for (const stage of u) {
      const keys = isPlainObject(stage) ? Object.keys(stage) : [];
      if (keys.length !== 1 || !PIPELINE_STAGES.has(keys[0])) {
        throw new CommandError(
          Codes.InvalidOptions,
          `${keys[0] ?? 'stage'} is not allowed to be used within an update; allowed stages: ${[...PIPELINE_STAGES].join(', ')}`,
        );
      }
    }
    validateStages(u as Document[]);
    return { kind: 'pipeline', stages: u as Document[] };
  }
  if (!isPlainObject(u))
    throw new CommandError(Codes.FailedToParse, 'Update argument must be either an object or an array');
  const keys = Object.keys(u);
  const dollar = keys.filter((k) => k.startsWith('$'));
  if (dollar.length === 0) return { kind: 'replace', doc: u };
  if (dollar.length !== keys.length) {
    const bad = keys.find((k) => !k.startsWith('$'));
    throw new CommandError(
      Codes.FailedToParse,
      `Unknown modifier: ${bad}. Expected a valid update modifier or pipeline-style update specified as an array`,
    );
  }
  const paths: string[] = [];
  let positional = false;
  let arrayPaths = false;
  for (const op of keys) {
    if (!OPERATORS.has(op)) {
      throw new CommandError(
        Codes.FailedToParse,
        `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
    const arg = u[op];
    if (!isPlainObject(arg)) {
      throw new CommandError(
        Codes.FailedToParse,
        `Modifiers operate on fields but we found type ${typeof arg} instead. For example: {$mod: {<field>: ...}} not {${op}: ${formatValue(arg)}}`,
      );
    }
    for (const path of Object.keys(arg)) {
      if (!path || path.startsWith('$') || path.split('.').some((p) => p === '')) {
        throw new CommandError(
          Codes.BadValue,
          `The update path '${path}' contains an empty field name or starts with '$', which is not allowed.`,
        );
      }
      if (op === '$pull') validatePull(arg[path]);
      if (path.includes('$')) {
        arrayPaths = true;
        if (/(^|\.)\$(\.|$)/.test(path)) positional = true;
      }
      paths.push(path);
      if (op === '$rename') {
        if (typeof arg[path] !== 'string')
          throw new CommandError(Codes.BadValue, `The 'to' field for $rename must be a string: ${path}`);
        paths.push(arg[path] as string);
      }
    }
  }
  checkConflicts(paths);
  return { kind: 'ops', ops: u, positional, arrayPaths };
}

function checkConflicts(paths: string[]): void {
  const sorted = [...paths].sort();
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1];
    const b = sorted[i];
    if (a === b || b.startsWith(a + '.')) {
      throw new CommandError(
        Codes.ConflictingUpdateOperators,
        `Updating the path '${b}' would create a conflict at '${a}'`,
      );
    }
  }
}

const immutable = (path: string): CommandError =>
  new CommandError(
    Codes.ImmutableField,
    `Performing an update on the path '${path}' would modify the immutable field '_id'`,
  );

export interface ApplyOptions {
  filter: Document;
  arrayFilters?: Document[];
  /** True when building the document inserted by an upsert ($setOnInsert applies, positional not allowed). */
  inserting: boolean;
  /** The array filters by identifier, as checked by `checkArrayFilters` (computed here when absent). */
  byId?: ArrayFilterMap;
}

/** Checks an update's arrayFilters before any document is read (see update-positional.ts). */
export function arrayFiltersFor(spec: UpdateSpec, arrayFilters: Document[] | undefined): ArrayFilterMap | undefined {
  if (spec.kind !== 'ops') {
    if (arrayFilters?.length) {
      throw new CommandError(
        Codes.InvalidOptions,
        `arrayFilters may not be specified for ${spec.kind === 'pipeline' ? 'pipeline' : 'replacement'}-style updates`,
      );
    }
    return undefined;
  }
  return arrayFilters || spec.arrayPaths ? checkArrayFilters(spec.ops, arrayFilters) : undefined;
}

/** Applies an update to (a copy of) `doc`. Returns the new document and whether anything changed. */
export function applyUpdate(doc: Document, spec: UpdateSpec, opts: ApplyOptions): { doc: Document; modified: boolean } {
  if (spec.kind === 'replace') {
    const _id = spec.doc._id;
    if (_id !== undefined && doc._id !== undefined && enc(_id) !== enc(doc._id)) {
      throw new CommandError(
        Codes.ImmutableField,
        `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${formatValue(_id)}`,
      );
    }
    const src = clone(spec.doc);
    const out: Document = {};
    if (doc._id !== undefined) copyEntry(out, '_id', doc, '_id');
    else if (_id !== undefined) copyEntry(out, '_id', src, '_id');
    for (const k of Object.keys(src)) if (k !== '_id') copyEntry(out, k, src, k);
    return { doc: out, modified: !deepEqual(out, doc) };
  }
  if (spec.kind === 'pipeline') {
    const [res] = runPipeline([clone(doc)], spec.stages);
    if (!res) throw new CommandError(Codes.BadValue, 'update pipeline produced no document');
    let out = res;
    if (out._id === undefined && doc._id !== undefined) out = { _id: doc._id, ...out };
    if (doc._id !== undefined && enc(out._id) !== enc(doc._id)) {
      throw new CommandError(
        Codes.ImmutableField,
        `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${formatValue(out._id)}`,
      );
    }
    return { doc: out, modified: !deepEqual(out, doc) };
  }
  // $setOnInsert joins $set when inserting; argument objects are copied with their number annotations.
  const ops: Document = {};
  for (const [op, arg] of Object.entries(spec.ops)) {
    if (op === '$setOnInsert' && !opts.inserting) continue;
    const key = op === '$setOnInsert' ? '$set' : op;
    const merged: Document = (ops[key] as Document | undefined) ?? {};
    for (const path of Object.keys(arg as Document)) copyEntry(merged, path, arg as Document, path);
    ops[key] = merged;
  }
  const target = clone(doc);
  // _id: setting it to its current value is a no-op; anything else touching it is an error (except on insert).
  for (const op of Object.keys(ops)) {
    const arg = ops[op] as Document;
    for (const path of Object.keys(arg)) {
      const touchesId = path === '_id' || path.startsWith('_id.');
      if (op === '$rename' && (arg[path] === '_id' || String(arg[path]).startsWith('_id.')))
        throw immutable(String(arg[path]));
      if (!touchesId) continue;
      if (op === '$set' && path === '_id') {
        if (target._id === undefined || opts.inserting) target._id = clone(arg._id);
        else if (enc(arg._id) !== enc(target._id)) throw immutable('_id');
        delete arg[path];
        continue;
      }
      if (opts.inserting && op === '$set') {
        setPath(target, path, clone(arg[path]));
        delete arg[path];
        continue;
      }
      throw immutable(path);
    }
    if (Object.keys(arg).length) ops[op] = arg;
    else delete ops[op];
  }
  if (Object.keys(ops).length === 0) return { doc: target, modified: opts.inserting };
  if (spec.positional && opts.inserting) {
    throw new CommandError(Codes.BadValue, 'The positional operator did not find the match needed from the query.');
  }
  if (spec.arrayPaths) {
    // Every positional path is resolved against the document as it was before this update (MongoDB's rule).
    const byId = opts.byId ?? arrayFiltersFor(spec, opts.arrayFilters) ?? new Map();
    const resolved = resolvePositional(target, ops, opts.filter, byId);
    if (resolved) for (const op of Object.keys(ops)) ops[op] = resolved[op];
  }
  // Plain-path field operators run natively; positional/array-filter paths and array operators go to mingo.
  const now = new Date();
  const viaMingo: Document = {};
  for (const [op, arg] of Object.entries(ops)) {
    if (op === '$pull') {
      const plain = Object.keys(arg as Document).filter((p) => !p.includes('$'));
      if (plain.length) applyPull(target, Object.fromEntries(plain.map((p) => [p, (arg as Document)[p]])));
      const rest = Object.keys(arg as Document).filter((p) => p.includes('$'));
      if (rest.length) viaMingo[op] = Object.fromEntries(rest.map((p) => [p, (arg as Document)[p]]));
      continue;
    }
    if (ARRAY_NATIVE_OPS.has(op)) {
      const plain = Object.keys(arg as Document).filter((p) => !p.includes('$'));
      if (plain.length) {
        const one: Document = {};
        for (const p of plain) copyEntry(one, p, arg as Document, p);
        applyArrayOp(target, op, one);
      }
      const rest = Object.keys(arg as Document).filter((p) => p.includes('$'));
      if (rest.length) {
        const other: Document = {};
        for (const p of rest) copyEntry(other, p, arg as Document, p);
        viaMingo[op] = other;
      }
      continue;
    }
    if (!NATIVE_OPS.has(op)) {
      viaMingo[op] = arg;
      continue;
    }
    const native: Document = {};
    const other: Document = {};
    for (const [path, v] of Object.entries(arg as Document)) {
      if (path.includes('$') || (op === '$rename' && String(v).includes('$')))
        copyEntry(other, path, arg as Document, path);
      else copyEntry(native, path, arg as Document, path);
    }
    if (Object.keys(native).length) applyNative(target, op, native, now);
    if (Object.keys(other).length) viaMingo[op] = other;
  }
  if (Object.keys(viaMingo).length) {
    checkArrayTargets(target, viaMingo);
    if (isTyped(viaMingo) || Object.values(viaMingo).some(isTyped)) markTyped(target);
    try {
      // One path at a time: mingo refuses two positional paths under one array (`c.$.a` + `c.$.b`) as a
      // conflict, which MongoDB accepts (real conflicts were refused by parseUpdate).
      for (const [op, arg] of Object.entries(viaMingo)) {
        for (const path of Object.keys(arg as Document)) {
          const one: Document = {};
          copyEntry(one, path, arg as Document, path);
          const positional = /(^|\.)\$(\.|$)/.test(path);
          mingoUpdate(target, { [op]: one }, opts.arrayFilters, positional ? opts.filter : undefined, {
            cloneMode: 'deep',
            queryOptions: QUERY_OPTIONS,
          });
        }
      }
    } catch (e) {
      const err = asBadValue(e);
      if (/positional operator|found no match/.test(err.message)) {
        throw new CommandError(Codes.BadValue, 'The positional operator did not find the match needed from the query.');
      }
      throw err;
    }
  }
  if (doc._id !== undefined && enc(target._id) !== enc(doc._id)) throw immutable('_id');
  return { doc: target, modified: opts.inserting || !deepEqual(target, doc) };
}

const ARRAY_OPS = new Set(['$push', '$addToSet', '$pop', '$pull', '$pullAll']);

/** MongoDB refuses array operators on an existing non-array field (mingo would silently skip it). */
function checkArrayTargets(doc: Document, ops: Document): void {
  for (const [op, arg] of Object.entries(ops)) {
    if (!ARRAY_OPS.has(op)) continue;
    for (const path of Object.keys(arg as Document)) {
      if (path.includes('$')) continue;
      const v = getPath(doc, path);
      if (v === undefined || Array.isArray(v)) continue;
      const field = path.slice(path.lastIndexOf('.') + 1);
      const msg =
        op === '$push' || op === '$addToSet'
          ? `The field '${field}' must be an array but is of type ${typeAlias(v)} in document {_id: ${formatValue(doc._id)}}`
          : op === '$pop'
            ? `Path '${path}' contains an element of non-array type '${typeAlias(v)}'`
            : `Cannot apply ${op} to a non-array value`;
      throw new CommandError(Codes.BadValue, msg);
    }
  }
}

/** The document an upsert starts from: equality fields of the filter (and $and), with an _id first. */
export function upsertBase(filter: Document, spec: UpdateSpec): Document {
  const eqs: Document = {};
  collectEqualities(filter, eqs);
  let id = eqs._id;
  if (id === undefined && spec.kind === 'replace') id = spec.doc._id;
  const { _id: _drop, ...rest } = eqs;
  void _drop;
  return { _id: id === undefined ? new ObjectId() : clone(id), ...(spec.kind === 'replace' ? {} : rest) };
}

function collectEqualities(filter: Document, out: Document): void {
  for (const [k, v] of Object.entries(filter)) {
    if (k === '$and' && Array.isArray(v)) {
      for (const sub of v) if (isPlainObject(sub)) collectEqualities(sub, out);
      continue;
    }
    if (k.startsWith('$')) continue;
    if (isPlainObject(v) && Object.keys(v).some((x) => x.startsWith('$'))) {
      if ('$eq' in v) setPath(out, k, clone(v.$eq));
      else if (Array.isArray(v.$in) && v.$in.length === 1) setPath(out, k, clone(v.$in[0]));
      continue;
    }
    setPath(out, k, clone(v));
  }
}
