// Up-front validation of query filters, as MongoDB parses them before reading anything: an unknown top-level
// operator is BadValue "unknown top level operator: $x", an unknown field operator "unknown operator: $x", and
// $and/$or/$nor need a non-empty array of objects — on an empty or missing collection too (mingo only notices
// when it tests a document); `$expr` expressions are checked by expr-check.ts. Pure: must never touch the store.
import type { Document } from 'bson';
import { badValue } from './errors.js';
import { isPlainObject } from './values.js';
import { validateExpression } from './expr-check.js';

const TOP_LEVEL = new Set([
  '$and',
  '$or',
  '$nor',
  '$expr',
  '$where',
  '$text',
  '$comment',
  '$jsonSchema',
  '$alwaysTrue',
  '$alwaysFalse',
  '$sampleRate',
]);
/** Field names of a DBRef ({$ref, $id, $db}): queried like fields, not operators. */
const DBREF_FIELDS = new Set(['$ref', '$id', '$db']);
const FIELD_OPERATORS = new Set([
  '$eq',
  '$ne',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$in',
  '$nin',
  '$exists',
  '$type',
  '$regex',
  '$options',
  '$mod',
  '$all',
  '$size',
  '$elemMatch',
  '$not',
  '$bitsAllSet',
  '$bitsAllClear',
  '$bitsAnySet',
  '$bitsAnyClear',
  '$geoWithin',
  '$geoIntersects',
  '$near',
  '$nearSphere',
  '$maxDistance',
  '$minDistance',
  '$geometry',
  '$box',
  '$center',
  '$centerSphere',
  '$polygon',
  '$uniqueDocs',
  '$comment',
]);

/** Throws BadValue for the first unknown or malformed operator of `filter`. */
export function validateFilter(filter: Document): void {
  for (const [k, v] of Object.entries(filter)) {
    if (!k.startsWith('$') || DBREF_FIELDS.has(k)) {
      validateCondition(v);
      continue;
    }
    if (!TOP_LEVEL.has(k)) throw badValue(`unknown top level operator: ${k}`);
    if (k === '$expr') validateExpression(v);
    if (k === '$and' || k === '$or' || k === '$nor') {
      if (!Array.isArray(v) || v.length === 0) throw badValue(`${k} argument must be a non-empty array`);
      for (const sub of v) {
        if (!isPlainObject(sub)) throw badValue(`${k} argument's entries must be objects`);
        validateFilter(sub);
      }
    }
  }
}

/** True for {$ref, $id[, $db]} (a DBRef compared by value) rather than an operator object. */
const isDbRef = (v: Document): boolean => '$ref' in v && '$id' in v;

function validateCondition(v: unknown): void {
  if (!isPlainObject(v) || isDbRef(v)) return;
  const keys = Object.keys(v);
  if (keys.length === 0 || !keys[0].startsWith('$')) return; // a literal document compared by equality
  for (const op of keys) {
    if (!FIELD_OPERATORS.has(op)) throw badValue(`unknown operator: ${op}`);
    const arg = v[op];
    if ((op === '$in' || op === '$nin') && Array.isArray(arg)) {
      for (const e of arg) {
        if (isPlainObject(e) && Object.keys(e).some((x) => x.startsWith('$')) && !isDbRef(e)) {
          throw badValue(`cannot nest $ under ${op}`);
        }
      }
    }
    if (op === '$not' && isPlainObject(arg)) {
      if (Object.keys(arg).length === 0) throw badValue('$not cannot be empty');
      validateCondition(arg);
    } else if (op === '$elemMatch' && isPlainObject(arg)) {
      const first = Object.keys(arg)[0];
      if (first && first.startsWith('$') && !TOP_LEVEL.has(first) && !DBREF_FIELDS.has(first)) validateCondition(arg);
      else validateFilter(arg);
    }
  }
}
