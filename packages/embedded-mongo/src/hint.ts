// The `hint` of a find, as MongoDB applies it: the hinted index (by name or key pattern) must exist (BadValue 2
// otherwise) and, without a sort, documents come back in that index's order; `{$natural: 1|-1}` is insertion
// order, forwards or backwards. Only consulted when a find carries a hint. Pure: must never change the collection.
import type { Document } from 'bson';
import type { Collection } from './collection.js';
import { CommandError, Codes } from './errors.js';
import { isPlainObject } from './values.js';

export type HintOrder = { sort: Document } | { natural: 1 | -1 } | null;

const noSuchIndex = (): CommandError =>
  new CommandError(
    Codes.BadValue,
    'error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index',
  );

/** How a hinted find orders its documents when it has no sort (null: no ordering to apply). */
export function hintOrder(coll: Collection | undefined, hint: unknown): HintOrder {
  if (hint === undefined || hint === null) return null;
  if (isPlainObject(hint) && '$natural' in hint) return { natural: Number(hint.$natural) < 0 ? -1 : 1 };
  if (typeof hint !== 'string' && !isPlainObject(hint)) {
    throw new CommandError(Codes.FailedToParse, 'hint must be either a string or nested object');
  }
  if (typeof hint !== 'string' && Object.keys(hint).length === 0) return null;
  if (!coll) return null; // a missing collection answers nothing, whatever the hint
  const wanted = typeof hint === 'string' ? null : JSON.stringify(Object.entries(hint).map(([k, v]) => [k, Number(v)]));
  for (const ix of coll.indexes.values()) {
    const match =
      typeof hint === 'string'
        ? ix.name === hint
        : JSON.stringify(Object.entries(ix.spec.key).map(([k, v]) => [k, Number(v)])) === wanted;
    if (!match) continue;
    const key = ix.spec.key as Document;
    return Object.values(key).every((v) => v === 1 || v === -1) ? { sort: key } : null;
  }
  throw noSuchIndex();
}
