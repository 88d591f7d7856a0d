// Batched single-document writes on a mongoose model: inserts and updateOne calls made in the same event-loop turn
// go to the database as one insertMany / bulkWrite (unordered), and each caller gets its own outcome — a
// duplicate key is answered to that caller only ('duplicate' for inserts; an upsert that raced another process's
// upsert is retried as an update, like MongoDB advises). Must never report success for a write that failed, and
// never fail a caller because another document of the batch failed.
import type { Model } from 'mongoose';
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
 * Inserts like Model.create: defaults, casting, timestamps and validation on a hydrated document,
 * then one unordered insertMany of the batch. Answers the document, or 'duplicate' on E11000.
 */
export function batchedInserts<D>(model: AnyModel): (doc: Record<string, unknown>) => Promise<D | 'duplicate'> {
  const run = coalesce<Record<string, unknown>, D | 'duplicate' | Error>(async (inputs) => {
    const out: Array<D | 'duplicate' | Error> = [];
    const docs: Array<{ at: number; doc: InstanceType<AnyModel> }> = [];
    const built = inputs.map((input) => {
      const doc = new model(input);
      doc.initializeTimestamps?.();
      return doc;
    });
    const invalid = await Promise.all(built.map((d) => d.validate().then(() => null, (e: Error) => e)));
    built.forEach((doc, i) => {
      if (invalid[i]) out.push(invalid[i]);
      else {
        docs.push({ at: out.length, doc });
        out.push(doc as D);
      }
    });
    if (docs.length === 0) return out;
    try {
      await model.collection.insertMany(
        docs.map((d) => d.doc.toBSON()),
        { ordered: false },
      );
    } catch (err) {
      const failed = writeErrorsOf(err);
      if (!failed) throw err;
      for (const [index, w] of failed) {
        const at = docs[index]?.at;
        if (at === undefined) throw err;
        out[at] = codeOf(w) === 11000 ? 'duplicate' : new Error(`insert failed (code ${codeOf(w)})`);
      }
    }
    for (const d of docs) if (out[d.at] === d.doc) d.doc.$isNew = false;
    return out;
  });
  return async (doc) => {
    const r = await run(doc);
    if (r instanceof Error) throw r;
    return r;
  };
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
