// Batched single-document writes on a mongoose model: inserts and updateOne calls made in the same event-loop turn
// go to the database as one `insert` command / one bulkWrite (unordered), and each caller gets its own outcome — a
// duplicate key is answered to that caller only ('duplicate' for inserts; an upsert that raced another process's
// upsert is retried as an update, like MongoDB advises). Must never report success for a write that failed, and
// never fail a caller because another document of the batch failed.
import { Types, type Model } from 'mongoose';
import { coalesce } from './coalesce.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- works on any model's documents
type AnyModel = Model<any>;
type WriteError = { index?: number; code?: number; err?: { index?: number; code?: number } };

/** Per-index errors of an unordered bulk write; null when the error is not one. */
function writeErrorsOf(err: unknown): Map<number, WriteError> | null {
  const list = (err as { writeErrors?: WriteError[] | WriteError } | null)?.writeErrors;
  if (!list) return null;
  const out = new Map<number, WriteError>();
  for (const w of Array.isArray(list) ? list : [list]) {
    const index = w.index ?? w.err?.index;
    if (typeof index === 'number') out.set(index, w);
  }
  return out;
}
const codeOf = (w: WriteError) => w.code ?? w.err?.code;

/**
 * Inserts what Model.create would store — cast, defaults, timestamps, validated against the schema — built as plain
 * objects (Model.castObject / applyDefaults / applyTimestamps / validate: no document hydration on the hot path),
 * then one unordered `insert` command for the batch. Answers the stored object, or 'duplicate' on E11000.
 */
export function batchedInserts<D>(model: AnyModel): (doc: Record<string, unknown>) => Promise<D | 'duplicate'> {
  const run = coalesce<Record<string, unknown>, D | 'duplicate' | Error>(async (inputs) => {
    const built = await Promise.all(
      inputs.map(async (input) => {
        try {
          const obj = model.castObject(input) as Record<string, unknown>;
          model.applyDefaults(obj);
          model.applyTimestamps(obj);
          obj._id ??= new Types.ObjectId();
          await model.validate(obj);
          return obj;
        } catch (err) {
          return err instanceof Error ? err : new Error(String(err));
        }
      }),
    );
    const out: Array<D | 'duplicate' | Error> = built.map((b) => (b instanceof Error ? b : (b as D)));
    const docs = built.flatMap((b, at) => (b instanceof Error ? [] : [{ at, doc: b }]));
    if (docs.length === 0) return out;
    for (const w of await insertCommand(
      model,
      docs.map((d) => d.doc),
      false,
    )) {
      const at = docs[w.index]?.at;
      if (at === undefined) throw new Error(`insert answered an error for unknown document ${w.index}`);
      out[at] = w.code === 11000 ? 'duplicate' : new Error(`insert failed (code ${w.code})`);
    }
    return out;
  });
  return async (doc) => {
    const r = await run(doc);
    if (r instanceof Error) throw r;
    return r;
  };
}

type CommandWriteError = { index: number; code: number; errmsg?: string };

/**
 * One `insert` command for documents built already (no mongoose casting, no driver bulk machinery: the hot path's
 * cheapest write). Answers the per-document write errors (with their index); unordered, the others are stored.
 */
export async function insertCommand(
  model: AnyModel,
  documents: object[],
  ordered: boolean,
): Promise<CommandWriteError[]> {
  const reply = await model.db.db!.command({ insert: model.collection.collectionName, documents, ordered });
  return (reply.writeErrors ?? []) as CommandWriteError[];
}

/**
 * One `update` command for many update statements of typed values (no mongoose casting, no driver bulk
 * machinery). Throws the first write error, with all of them as `writeErrors`.
 */
export async function updateCommand(
  model: AnyModel,
  updates: Array<{ q: object; u: object; upsert?: boolean; multi?: boolean }>,
  ordered: boolean,
): Promise<void> {
  const reply = await model.db.db!.command({ update: model.collection.collectionName, updates, ordered });
  throwWriteErrors(reply);
}

function throwWriteErrors(reply: { writeErrors?: CommandWriteError[] }): void {
  const errors = reply.writeErrors;
  if (errors?.length)
    throw Object.assign(new Error(errors[0].errmsg ?? `write failed (code ${errors[0].code})`), {
      code: errors[0].code,
      writeErrors: errors,
    });
}

export interface UpdateOp {
  filter: Record<string, unknown>;
  update: Record<string, unknown>;
  upsert?: boolean;
}

/** `strict: false` lets updates set fields the schema does not declare (as updateOne's own option). */
export function batchedUpdates(model: AnyModel, opts: { strict?: boolean } = {}): (op: UpdateOp) => Promise<void> {
  const run = coalesce<UpdateOp, Error | null>(async (ops) => {
    try {
      await model.bulkWrite(
        ops.map((o) => ({ updateOne: { filter: o.filter, update: o.update, upsert: o.upsert ?? false } })),
        { ordered: false, ...opts },
      );
      return ops.map(() => null);
    } catch (err) {
      const failed = writeErrorsOf(err);
      if (!failed) throw err;
      return Promise.all(
        ops.map(async (o, i) => {
          const w = failed.get(i);
          if (!w) return null;
          if (codeOf(w) !== 11000 || !o.upsert) return new Error(`update failed (code ${codeOf(w)})`);
          try {
            await model.updateOne(o.filter, o.update, { upsert: true, ...opts }); // the racing upsert has inserted: now an update
            return null;
          } catch (e) {
            return e as Error;
          }
        }),
      );
    }
  });
  return async (op) => {
    const err = await run(op);
    if (err) throw err;
  };
}
