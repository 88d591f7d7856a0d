// Document validation of the embedded engine: a collection's `validator` (a query filter; `$jsonSchema` is not
// supported) with `validationLevel` (strict = every insert/update, moderate = updates of already valid
// documents only, off) and `validationAction` (error → DocumentValidationFailure 121, warn → accepted). The
// Writer calls `validateWrite` before every insert/replace unless the command bypasses validation.
// Must never change a document or the collection.
import type { Document } from 'bson';
import type { Collection } from './collection.js';
import { CommandError, Codes } from './errors.js';
import { compileQuery } from './mingo-context.js';
import { isPlainObject } from './values.js';

const compiled = new WeakMap<object, (doc: Document) => boolean>();

/** Checks a validator / level / action triple like `create` and `collMod` do (throws on invalid ones). */
export function checkValidationOptions(opts: Document): void {
  if (opts.validator !== undefined) {
    if (!isPlainObject(opts.validator)) throw new CommandError(Codes.TypeMismatch, "'validator' must be an object");
    if (JSON.stringify(opts.validator).includes('"$jsonSchema"')) {
      throw new CommandError(
        Codes.NotImplemented,
        '$jsonSchema validators are not supported by the embedded database engine',
      );
    }
    compileQuery(opts.validator);
  }
  if (opts.validationLevel !== undefined && !['off', 'strict', 'moderate'].includes(String(opts.validationLevel))) {
    throw new CommandError(
      Codes.BadValue,
      `Enumeration value '${String(opts.validationLevel)}' for field 'validationLevel' is not a valid value.`,
    );
  }
  if (opts.validationAction !== undefined && !['error', 'warn'].includes(String(opts.validationAction))) {
    throw new CommandError(
      Codes.BadValue,
      `Enumeration value '${String(opts.validationAction)}' for field 'validationAction' is not a valid value.`,
    );
  }
}

function matcher(validator: Document): (doc: Document) => boolean {
  let m = compiled.get(validator);
  if (!m) {
    const q = compileQuery(validator);
    m = (d) => q.test(d);
    compiled.set(validator, m);
  }
  return m;
}

/** Throws DocumentValidationFailure when `next` (replacing `prev`, undefined for an insert) must be refused. */
export function validateWrite(c: Collection, next: Document, prev: Document | undefined): void {
  const o = c.options;
  if (!isPlainObject(o.validator) || !Object.keys(o.validator).length) return;
  const level = o.validationLevel ?? 'strict';
  if (level === 'off' || o.validationAction === 'warn') return;
  const ok = matcher(o.validator);
  if (ok(next)) return;
  if (level === 'moderate' && prev && !ok(prev)) return;
  throw new CommandError(Codes.DocumentValidationFailure, 'Document failed validation', {
    errInfo: { failingDocumentId: next._id, details: { operatorName: '$and', schemaRulesNotSatisfied: [] } },
  });
}
