// The `let` option of find / update / delete / findAndModify / aggregate in the embedded engine: validates the
// variable names like MongoDB and evaluates each value as an aggregation expression (against no document), so
// `$$name` resolves in `$expr`, pipelines and pipeline updates. Must never touch the store or mutate its input.
import type { Document } from 'bson';
import { CommandError, Codes } from './errors.js';
import { runPipeline } from './mingo-context.js';
import { isPlainObject } from './values.js';

const NAME = /^[a-z\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*$/;

/** The evaluated variables of a command's `let` (undefined when it has none). */
export function letVariables(raw: unknown): Document | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isPlainObject(raw)) {
    throw new CommandError(Codes.TypeMismatch, "BSON field 'let' is the wrong type, expected type 'object'");
  }
  const names = Object.keys(raw);
  if (!names.length) return undefined;
  const out: Document = {};
  for (const name of names) {
    if (!NAME.test(name)) {
      throw new CommandError(
        Codes.FailedToParse,
        `'${name}' starts with an invalid character for a user variable name`,
      );
    }
    out[name] = evalOn({}, raw[name]);
  }
  return out;
}

/** Evaluates one aggregation expression against `doc` (with `variables` in scope). */
export function evalOn(doc: Document, expr: unknown, variables?: Document): unknown {
  const [res] = runPipeline([doc], [{ $replaceWith: { v: expr } }], undefined, variables);
  return res?.v;
}
