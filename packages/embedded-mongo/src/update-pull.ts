// Native `$pull` on plain dotted paths, with MongoDB's matching rules: a condition whose keys are all
// field-level operators (`$gte`, `$in`…) tests each element itself; any other document (field conditions, or the
// logical `$and`/`$or`/`$nor`) is a query run against each document element; anything else is an equality.
// Mutates only the private copy it is given; must never see a stored document.
import type { Document } from 'bson';
import { CommandError, Codes } from './errors.js';
import { compileQuery } from './mingo-context.js';
import { enc, getPath, isPlainObject } from './values.js';
import { validateFilter } from './query-check.js';

const LOGICAL = new Set(['$and', '$or', '$nor', '$expr', '$where', '$text', '$comment']);

/** Returns a predicate telling whether one array element is removed by `cond`. */
export function pullMatcher(cond: unknown): (elem: unknown) => boolean {
  if (!isPlainObject(cond) || Object.keys(cond).length === 0) {
    if (isPlainObject(cond)) return (e) => isPlainObject(e); // {} removes every document element
    const key = enc(cond);
    return (e) => enc(e) === key;
  }
  const keys = Object.keys(cond);
  const operatorsOnly = keys.every((k) => k.startsWith('$') && !LOGICAL.has(k));
  if (operatorsOnly) {
    const q = compileQuery({ v: cond });
    return (e) => q.test({ v: e });
  }
  const q = compileQuery(cond);
  return (e) => isPlainObject(e) && q.test(e);
}

/** Checks a `$pull` condition's operators before any document is read (BadValue 2, like MongoDB). */
export function validatePull(cond: unknown): void {
  if (!isPlainObject(cond) || Object.keys(cond).length === 0) return;
  const keys = Object.keys(cond);
  if (keys.every((k) => k.startsWith('$') && !LOGICAL.has(k))) validateFilter({ v: cond });
  else validateFilter(cond);
}

/** Applies `{ $pull: arg }` (plain paths only) to `doc` in place. */
export function applyPull(doc: Document, arg: Document): void {
  for (const [path, cond] of Object.entries(arg)) {
    const arr = getPath(doc, path);
    if (arr === undefined) continue;
    if (!Array.isArray(arr)) throw new CommandError(Codes.BadValue, 'Cannot apply $pull to a non-array value');
    const removes = pullMatcher(cond);
    const kept = arr.filter((e) => !removes(e));
    if (kept.length !== arr.length) arr.splice(0, arr.length, ...kept);
  }
}
