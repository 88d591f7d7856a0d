// The update and findAndModify commands of the embedded engine: multi/upsert/$setOnInsert/arrayFilters/
// positional/pipeline updates, E11000 as writeErrors (update) or as the command error (findAndModify).
// Must never mutate a stored document: updates produce a new document that the Writer swaps in.
import type { Document } from 'bson';
import type { Collection } from '../collection.js';
import type { CommandContext, Handler } from '../context.js';
import { CommandError, Codes, toCommandError } from '../errors.js';
import { find, project } from '../planner.js';
import { applyUpdate, arrayFiltersFor, parseUpdate, upsertBase, type UpdateSpec } from '../update.js';
import type { ArrayFilterMap } from '../update-positional.js';
import { wrapTyped } from '../normalise.js';
import { isPlainObject } from '../values.js';
import { checkFilter, collName, docArg, prepareNewDoc, rejectUnsupported } from './args.js';

function arrayFiltersOf(v: unknown): Document[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every(isPlainObject))
    throw new CommandError(Codes.TypeMismatch, "'arrayFilters' must be an array of objects");
  return v as Document[];
}

function parse(u: unknown): UpdateSpec {
  return parseUpdate(u);
}

/** Inserts the upsert document for `filter`; returns it. */
function upsertInsert(
  ctx: CommandContext,
  c: Collection,
  filter: Document,
  spec: UpdateSpec,
  arrayFilters?: Document[],
  byId?: ArrayFilterMap,
): Document {
  const base = upsertBase(filter, spec);
  const { doc } = applyUpdate(base, spec, { filter, arrayFilters, byId, inserting: true });
  const finalDoc = prepareNewDoc(doc);
  ctx.writer.insert(c, finalDoc);
  return finalDoc;
}

const update: Handler = (cmd, ctx) => {
  const name = collName(cmd, 'update');
  const updates = cmd.updates;
  if (!Array.isArray(updates)) throw new CommandError(Codes.TypeMismatch, "'updates' must be an array");
  const ordered = cmd.ordered !== false;
  let n = 0;
  let nModified = 0;
  const upserted: Document[] = [];
  const writeErrors: Document[] = [];
  for (let i = 0; i < updates.length; i++) {
    try {
      const u = docArg(updates[i], 'updates');
      rejectUnsupported(u, []);
      const filter = checkFilter(docArg(u.q, 'q'));
      const spec = parse(u.u);
      const multi = u.multi === true;
      if (multi && spec.kind === 'replace') {
        throw new CommandError(Codes.FailedToParse, 'multi update is not supported for replacement-style update');
      }
      const arrayFilters = arrayFiltersOf(u.arrayFilters);
      const byId = arrayFiltersFor(spec, arrayFilters);
      const existing = ctx.store.get(ctx.db, name);
      const sort = u.sort !== undefined && !multi ? docArg(u.sort, 'sort') : undefined;
      const matched = find(existing, filter, { limit: multi ? 0 : 1, sort }, ctx.store.stats, ctx.txn).docs;
      if (matched.length === 0) {
        if (u.upsert === true) {
          const c = ctx.writer.ensure(ctx.db, name);
          const doc = upsertInsert(ctx, c, filter, spec, arrayFilters, byId);
          upserted.push({ index: i, _id: doc._id });
          n++;
        }
        continue;
      }
      for (const doc of matched) {
        const res = applyUpdate(doc, spec, { filter, arrayFilters, byId, inserting: false });
        if (res.modified) {
          ctx.writer.replace(existing!, doc, res.doc);
          nModified++;
        }
        n++;
      }
    } catch (e) {
      writeErrors.push(toCommandError(e).toWriteError(i));
      if (ordered) break;
    }
  }
  const reply: Document = { n, nModified };
  if (upserted.length) reply.upserted = upserted;
  if (writeErrors.length) reply.writeErrors = writeErrors;
  reply.ok = 1;
  return reply;
};

const findAndModify: Handler = (cmd, ctx) => {
  const name = collName(cmd, 'findAndModify' in cmd ? 'findAndModify' : 'findandmodify');
  rejectUnsupported(cmd, []);
  const filter = checkFilter(docArg(cmd.query, 'query'));
  const sort = docArg(cmd.sort, 'sort');
  const fields = docArg(cmd.fields, 'fields');
  const shape = (d: Document | null): Document | null =>
    wrapTyped(d && Object.keys(fields).length ? project([d], fields, filter)[0] : d);
  const existing = ctx.store.get(ctx.db, name);
  const found = find(existing, filter, { sort, limit: 1 }, ctx.store.stats, ctx.txn).docs[0] ?? null;
  if (cmd.remove === true) {
    if (cmd.update !== undefined)
      throw new CommandError(Codes.FailedToParse, 'Cannot specify both an update and remove=true');
    if (cmd.upsert === true)
      throw new CommandError(Codes.FailedToParse, 'Cannot specify both upsert=true and remove=true');
    if (found) ctx.writer.remove(existing!, found);
    return { lastErrorObject: { n: found ? 1 : 0 }, value: shape(found), ok: 1 };
  }
  if (cmd.update === undefined)
    throw new CommandError(Codes.FailedToParse, 'Either an update or remove=true must be specified');
  const spec = parse(cmd.update);
  const arrayFilters = arrayFiltersOf(cmd.arrayFilters);
  const byId = arrayFiltersFor(spec, arrayFilters);
  const returnNew = cmd.new === true;
  if (found) {
    const res = applyUpdate(found, spec, { filter, arrayFilters, byId, inserting: false });
    if (res.modified) {
      ctx.writer.replace(existing!, found, res.doc);
    }
    return {
      lastErrorObject: { n: 1, updatedExisting: true },
      value: shape(returnNew ? (res.modified ? res.doc : found) : found),
      ok: 1,
    };
  }
  if (cmd.upsert === true) {
    const c = ctx.writer.ensure(ctx.db, name);
    const doc = upsertInsert(ctx, c, filter, spec, arrayFilters, byId);
    return {
      lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id },
      value: returnNew ? shape(doc) : null,
      ok: 1,
    };
  }
  return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
};

export const updateCommands: Record<string, Handler> = { update, findAndModify, findandmodify: findAndModify };
