// The collMod command of the embedded engine: changes a collection's validator / validationLevel /
// validationAction, and one index's `hidden` or `expireAfterSeconds` (answering the *_old/*_new fields like
// MongoDB; `prepareUnique`/`unique` conversion is refused as not supported). Journaled as the
// collection's new options (createColl record) and as the index re-created with its new spec.
// Must never leave a half-applied change: everything is validated before anything is modified.
import type { Document } from 'bson';
import type { Collection } from '../collection.js';
import type { CommandContext, Handler } from '../context.js';
import { CommandError, Codes } from '../errors.js';
import type { Index } from '../indexes.js';
import type { IndexSpec } from '../persistence/types.js';
import { checkValidationOptions } from '../validation.js';
import { isPlainObject } from '../values.js';
import { collName } from './args.js';

const COLLECTION_OPTIONS = ['validator', 'validationLevel', 'validationAction'];
const INDEX_OPTIONS = ['keyPattern', 'name', 'hidden', 'expireAfterSeconds'];

function findIndex(c: Collection, spec: Document): Index {
  if (spec.name !== undefined && spec.keyPattern !== undefined) {
    throw new CommandError(Codes.InvalidOptions, 'Cannot specify both key pattern and name.');
  }
  if (typeof spec.name === 'string') {
    const ix = c.indexes.get(spec.name);
    if (ix) return ix;
    throw new CommandError(Codes.IndexNotFound, `cannot find index ${spec.name} for ns ${c.ns}`);
  }
  if (isPlainObject(spec.keyPattern)) {
    const want = JSON.stringify(Object.entries(spec.keyPattern));
    const ix = [...c.indexes.values()].find((i) => JSON.stringify(Object.entries(i.spec.key)) === want);
    if (ix) return ix;
    throw new CommandError(Codes.IndexNotFound, `cannot find index ${JSON.stringify(spec.keyPattern)} for ns ${c.ns}`);
  }
  throw new CommandError(Codes.InvalidOptions, 'must specify either index name or key pattern');
}

/** The index's new spec and the reply fields describing the change. */
function modifiedSpec(ix: Index, mod: Document): { spec: IndexSpec; reply: Document } {
  const spec: IndexSpec = { ...ix.spec };
  const reply: Document = {};
  if (mod.hidden !== undefined) {
    if (ix.name === '_id_') throw new CommandError(Codes.BadValue, "can't hide _id index");
    reply.hidden_old = ix.spec.hidden === true;
    reply.hidden_new = mod.hidden === true;
    if (mod.hidden === true) spec.hidden = true;
    else delete spec.hidden;
  }
  if (mod.expireAfterSeconds !== undefined) {
    const e = Number(mod.expireAfterSeconds);
    if (ix.spec.expireAfterSeconds === undefined) {
      throw new CommandError(Codes.InvalidOptions, 'no expireAfterSeconds field to update');
    }
    if (!Number.isFinite(e) || e < 0)
      throw new CommandError(Codes.InvalidOptions, 'expireAfterSeconds must be a non-negative number');
    reply.expireAfterSeconds_old = ix.spec.expireAfterSeconds;
    reply.expireAfterSeconds_new = e;
    spec.expireAfterSeconds = e;
  }
  return { spec, reply };
}

/** Re-creates the index with its new spec in the same place of the collection's index list. */
function replaceIndex(ctx: CommandContext, c: Collection, ix: Index, spec: IndexSpec): void {
  const order = [...c.indexes.keys()];
  c.dropIndex(ix.name);
  try {
    c.createIndex(spec);
  } catch (e) {
    c.createIndex(ix.spec);
    reorder(c, order);
    throw e;
  }
  reorder(c, order);
  ctx.writer.schema({ t: 'dropIndex', db: c.db, coll: c.name, name: ix.name });
  ctx.writer.schema({ t: 'createIndex', db: c.db, coll: c.name, spec });
}

function reorder(c: Collection, order: string[]): void {
  const entries = order.map((n) => [n, c.indexes.get(n)!] as const).filter(([, v]) => v);
  c.indexes.clear();
  for (const [n, v] of entries) c.indexes.set(n, v);
}

const collMod: Handler = (cmd, ctx) => {
  const name = collName(cmd, 'collMod');
  if (ctx.txn) {
    throw new CommandError(
      Codes.OperationNotSupportedInTransaction,
      "Cannot run 'collMod' in a multi-document transaction.",
    );
  }
  const c = ctx.store.get(ctx.db, name);
  if (!c) throw new CommandError(Codes.NamespaceNotFound, `ns does not exist: ${ctx.db}.${name}`);
  for (const k of Object.keys(cmd)) {
    if (k === 'collMod' || k === 'index' || COLLECTION_OPTIONS.includes(k) || k.startsWith('$')) continue;
    if (['lsid', 'txnNumber', 'writeConcern', 'comment', 'dryRun', 'maxTimeMS'].includes(k)) continue;
    throw new CommandError(
      Codes.InvalidOptions,
      `collMod option '${k}' is not supported by the embedded database engine`,
    );
  }
  const opts: Document = {};
  for (const k of COLLECTION_OPTIONS) if (cmd[k] !== undefined) opts[k] = cmd[k];
  checkValidationOptions(opts);
  let index: { ix: Index; spec: IndexSpec; reply: Document } | null = null;
  if (cmd.index !== undefined) {
    if (!isPlainObject(cmd.index)) throw new CommandError(Codes.TypeMismatch, "'index' must be an object");
    for (const k of Object.keys(cmd.index)) {
      if (!INDEX_OPTIONS.includes(k)) {
        throw new CommandError(
          Codes.InvalidOptions,
          `collMod index option '${k}' is not supported by the embedded database engine`,
        );
      }
    }
    const ix = findIndex(c, cmd.index);
    const { spec, reply } = modifiedSpec(ix, cmd.index);
    index = { ix, spec, reply };
  }
  const reply: Document = {};
  if (index) {
    replaceIndex(ctx, c, index.ix, index.spec);
    Object.assign(reply, index.reply);
  }
  if (Object.keys(opts).length) {
    Object.assign(c.options, opts);
    if (isPlainObject(opts.validator) && !Object.keys(opts.validator).length) delete c.options.validator;
    ctx.writer.schema({ t: 'createColl', db: ctx.db, coll: name, options: { ...c.options } });
  }
  return { ...reply, ok: 1 };
};

export const collModCommands: Record<string, Handler> = { collMod };
