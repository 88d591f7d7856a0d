// The MongoDB 8 `bulkWrite` command of the embedded engine (what `MongoClient.bulkWrite` sends to admin): `ops`
// (insert / update / delete, each naming an entry of `nsInfo`) run one by one through the engine's own insert,
// update and delete handlers, with `ordered` (stop at the first error) / unordered, `let`, and `errorsOnly`.
// The reply is a cursor of per-operation results (`ok`, `idx`, `n`, `nModified`, `upserted`, or the error's
// code/codeName/errmsg) plus the totals nInserted/nMatched/nModified/nUpserted/nDeleted/nErrors.
// Must never write except through those handlers.
import type { Document } from 'bson';
import type { Handler } from '../context.js';
import { CommandError, Codes, toCommandError } from '../errors.js';
import { isPlainObject } from '../values.js';
import { docArg, num } from './args.js';
import { crudCommands } from './crud.js';
import { updateCommands } from './update.js';

function splitNs(ns: unknown): [string, string] {
  const s = typeof ns === 'string' ? ns : '';
  const dot = s.indexOf('.');
  if (dot <= 0 || dot === s.length - 1)
    throw new CommandError(Codes.InvalidNamespace, `Invalid namespace specified '${s}'`);
  return [s.slice(0, dot), s.slice(dot + 1)];
}

const OP_KINDS = ['insert', 'update', 'delete'] as const;

/** One op as the single-statement insert/update/delete command of the engine. */
function asCommand(op: Document, coll: string, letVars: unknown): { kind: string; cmd: Document } {
  const kind = OP_KINDS.find((k) => k in op);
  if (!kind) throw new CommandError(Codes.FailedToParse, 'Unrecognized bulkWrite operation');
  if (kind === 'insert') {
    if (!isPlainObject(op.document)) {
      throw new CommandError(
        Codes.FailedToParse,
        "BSON field 'bulkWrite.insert.document' is missing but a required field",
      );
    }
    return { kind, cmd: { insert: coll, documents: [op.document] } };
  }
  const common = { q: docArg(op.filter, 'filter'), multi: op.multi === true };
  const extra: Document = {};
  for (const k of ['collation', 'hint', 'arrayFilters', 'sort']) if (op[k] !== undefined) extra[k] = op[k];
  if (kind === 'delete') {
    return {
      kind,
      cmd: { delete: coll, deletes: [{ q: common.q, limit: common.multi ? 0 : 1, ...extra }], let: letVars },
    };
  }
  if (op.updateMods === undefined) {
    throw new CommandError(
      Codes.FailedToParse,
      "BSON field 'bulkWrite.update.updateMods' is missing but a required field",
    );
  }
  const u = { ...common, u: op.updateMods, upsert: op.upsert === true, ...extra };
  return { kind, cmd: { update: coll, updates: [u], let: letVars } };
}

const bulkWrite: Handler = (cmd, ctx) => {
  if (ctx.db !== 'admin') {
    throw new CommandError(Codes.Unauthorized, 'bulkWrite may only be run against the admin database.');
  }
  const ops = cmd.ops;
  const nsInfo = cmd.nsInfo;
  if (!Array.isArray(ops)) throw new CommandError(Codes.TypeMismatch, "BSON field 'bulkWrite.ops' must be an array");
  if (!Array.isArray(nsInfo) || !nsInfo.length) {
    throw new CommandError(Codes.TypeMismatch, "BSON field 'bulkWrite.nsInfo' must be a non-empty array");
  }
  const namespaces = nsInfo.map((e) => splitNs(isPlainObject(e) ? e.ns : undefined));
  const ordered = cmd.ordered !== false;
  const errorsOnly = cmd.errorsOnly === true;
  const totals = { nInserted: 0, nMatched: 0, nModified: 0, nUpserted: 0, nDeleted: 0, nErrors: 0 };
  const results: Document[] = [];
  for (let idx = 0; idx < ops.length; idx++) {
    let result: Document;
    try {
      if (!isPlainObject(ops[idx])) throw new CommandError(Codes.TypeMismatch, 'bulkWrite operations must be objects');
      const op = ops[idx] as Document;
      const kind = OP_KINDS.find((k) => k in op);
      const nsIndex = kind ? num(op[kind], kind, -1) : -1;
      if (nsIndex < 0 || nsIndex >= namespaces.length) {
        throw new CommandError(Codes.BadValue, `BulkWrite ops entry ${idx} has an invalid nsInfo index`);
      }
      const [db, coll] = namespaces[nsIndex];
      const built = asCommand(op, coll, cmd.let);
      const sub = { ...ctx, db };
      const handler =
        built.kind === 'insert'
          ? crudCommands.insert
          : built.kind === 'delete'
            ? crudCommands.delete
            : updateCommands.update;
      const reply = handler(built.cmd, sub);
      const writeError = Array.isArray(reply.writeErrors) ? (reply.writeErrors[0] as Document) : undefined;
      if (writeError) {
        const { index: _index, ...rest } = writeError;
        void _index;
        result = { ok: 0, idx, ...rest };
      } else if (built.kind === 'insert') {
        totals.nInserted += 1;
        result = { ok: 1, idx, n: 1 };
      } else if (built.kind === 'delete') {
        totals.nDeleted += reply.n as number;
        result = { ok: 1, idx, n: reply.n };
      } else {
        const upserted = Array.isArray(reply.upserted) ? (reply.upserted[0] as Document) : undefined;
        totals.nModified += reply.nModified as number;
        if (upserted) totals.nUpserted += 1;
        else totals.nMatched += reply.n as number;
        result = { ok: 1, idx, n: reply.n, nModified: reply.nModified };
        if (upserted) result.upserted = { _id: upserted._id };
      }
    } catch (e) {
      const err = toCommandError(e);
      result = { ok: 0, idx, code: err.code, codeName: err.toReply().codeName, errmsg: err.message, ...err.extra };
    }
    if (result.ok === 0) totals.nErrors++;
    if (result.ok === 0 || !errorsOnly) results.push(result);
    if (result.ok === 0 && ordered) break;
  }
  const cursorOpt = docArg(cmd.cursor, 'cursor');
  const batchSize = cursorOpt.batchSize === undefined ? undefined : num(cursorOpt.batchSize, 'batchSize', 101);
  const cursor = ctx.cursors.create('admin.$cmd.bulkWrite', results, batchSize, false, ctx.lsid);
  return { cursor, ...totals, ok: 1 };
};

export const bulkWriteCommands: Record<string, Handler> = { bulkWrite };
