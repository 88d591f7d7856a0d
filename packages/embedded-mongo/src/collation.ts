// Collation in the embedded engine, where a strength-based comparison suffices: `locale: 'simple'` (or none)
// is binary comparison; any other locale compares strings with Intl.Collator at strength 1 (base letters:
// case- and accent-insensitive), 2 (accent-sensitive, case-insensitive) or 3 (default: locale order, equality
// as exact), with `numericOrdering`. Collated reads scan the collection (indexes hold binary keys), match on
// collation keys of strings and sort with the collator. Every other collation option answers an error saying
// it is not supported. Must never mutate documents or filters.
import type { Document } from 'bson';
import { CommandError, Codes } from './errors.js';
import { compileQuery } from './mingo-context.js';
import { compareValues, isPlainObject } from './values.js';

export interface Collation {
  strength: 1 | 2 | 3;
  collator: Intl.Collator;
}

const ALLOWED = new Set(['locale', 'strength', 'numericOrdering', 'version']);
const DEFAULTS: Document = {
  caseLevel: false,
  caseFirst: 'off',
  alternate: 'non-ignorable',
  backwards: false,
  normalization: false,
};

/** Parses a command's `collation` (null = simple binary comparison). */
export function parseCollation(raw: unknown): Collation | null {
  if (raw === undefined || raw === null) return null;
  if (!isPlainObject(raw)) throw new CommandError(Codes.TypeMismatch, "'collation' must be an object");
  if (typeof raw.locale !== 'string') throw new CommandError(Codes.FailedToParse, "Required field 'locale' is missing");
  for (const k of Object.keys(raw)) {
    if (ALLOWED.has(k) || (k in DEFAULTS && raw[k] === DEFAULTS[k])) continue;
    throw new CommandError(
      Codes.NotImplemented,
      `collation option '${k}' is not supported by the embedded database engine`,
    );
  }
  if (raw.locale === 'simple') return null;
  const strength = raw.strength === undefined ? 3 : Number(raw.strength);
  if (strength !== 1 && strength !== 2 && strength !== 3) {
    throw new CommandError(
      Codes.NotImplemented,
      `collation strength ${String(raw.strength)} is not supported by the embedded database engine`,
    );
  }
  let collator: Intl.Collator;
  try {
    collator = new Intl.Collator(raw.locale.replace(/_/g, '-').replace(/@.*$/, ''), {
      sensitivity: strength === 1 ? 'base' : strength === 2 ? 'accent' : 'variant',
      numeric: raw.numericOrdering === true,
    });
  } catch {
    throw new CommandError(Codes.BadValue, `Field 'locale' is invalid in: ${JSON.stringify(raw)}`);
  }
  return { strength, collator };
}

/** The string equality at the collation's strength compares (what documents and filters are matched on). */
function key(s: string, c: Collation): string {
  if (c.strength === 3) return s;
  const lower = s.toLocaleLowerCase();
  return c.strength === 1 ? lower.normalize('NFD').replace(/\p{M}/gu, '') : lower.normalize('NFC');
}

/** A deep copy of `v` whose strings are replaced by their collation keys (other values kept). */
export function collationKeys(v: unknown, c: Collation): unknown {
  if (typeof v === 'string') return key(v, c);
  if (Array.isArray(v)) return v.map((x) => collationKeys(x, c));
  if (isPlainObject(v)) {
    const out: Document = {};
    for (const [k, x] of Object.entries(v)) out[k] = collationKeys(x, c);
    return out;
  }
  return v;
}

/** A predicate matching documents against `filter` under the collation. */
export function collatedMatcher(filter: Document, c: Collation, variables?: Document): (doc: Document) => boolean {
  const q = compileQuery(collationKeys(filter, c) as Document, variables);
  return (d) => q.test(collationKeys(d, c) as Document);
}

/** compareValues with strings compared by the collator. */
export function collatedCompare(a: unknown, b: unknown, c: Collation): number {
  if (typeof a === 'string' && typeof b === 'string') return c.collator.compare(a, b);
  return compareValues(a, b);
}
