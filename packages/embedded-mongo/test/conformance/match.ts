// Value matching of the unified test format (expected values from a spec file against what the driver returned):
// numbers compare across int/long/double, root-level documents may carry extra fields, and the special operators
// $$exists, $$type, $$unsetOrMatches, $$matchesEntity, $$matchesHexBytes, $$sessionLsid, $$lte, $$matchAsDocument,
// $$matchAsRoot. Must never change either value; a mismatch throws an Error naming the path.
import { BSON } from 'mongodb';

export type Entities = Map<string, unknown>;

const TYPES: Record<string, (v: unknown) => boolean> = {
  double: (v) => typeof v === 'number' || bsonType(v) === 'Double',
  string: (v) => typeof v === 'string',
  object: (v) => isDoc(v),
  array: (v) => Array.isArray(v),
  binData: (v) => bsonType(v) === 'Binary',
  objectId: (v) => bsonType(v) === 'ObjectId',
  bool: (v) => typeof v === 'boolean',
  date: (v) => v instanceof Date,
  null: (v) => v === null,
  regex: (v) => v instanceof RegExp || bsonType(v) === 'BSONRegExp',
  int: (v) => (typeof v === 'number' && Number.isInteger(v)) || bsonType(v) === 'Int32',
  timestamp: (v) => bsonType(v) === 'Timestamp',
  long: (v) => bsonType(v) === 'Long' || (typeof v === 'number' && Number.isInteger(v)),
  decimal: (v) => bsonType(v) === 'Decimal128',
  number: (v) => typeof v === 'number' || ['Long', 'Int32', 'Double', 'Decimal128'].includes(bsonType(v) ?? ''),
};

function bsonType(v: unknown): string | undefined {
  return v && typeof v === 'object' ? (v as { _bsontype?: string })._bsontype : undefined;
}

export function isDoc(v: unknown): v is Record<string, unknown> {
  return (
    !!v &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    !(v instanceof Date) &&
    !(v instanceof RegExp) &&
    !bsonType(v) &&
    !Buffer.isBuffer(v)
  );
}

function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  const t = bsonType(v);
  if (t === 'Long' || t === 'Int32' || t === 'Double') return Number((v as { valueOf(): unknown }).valueOf());
  if (t === 'Long') return Number(String(v));
  return undefined;
}

function fail(path: string, msg: string): never {
  throw new Error(`${path || '(root)'}: ${msg}`);
}

const show = (v: unknown): string => {
  try {
    return BSON.EJSON.stringify(v as never, { relaxed: true }).slice(0, 300);
  } catch {
    return String(v);
  }
};

/** Throws unless `actual` matches `expected` (root = extra fields allowed at this level). */
export function match(expected: unknown, actual: unknown, entities: Entities, root = true, path = ''): void {
  if (isDoc(expected)) {
    const keys = Object.keys(expected);
    if (keys.length === 1 && keys[0].startsWith('$$'))
      return special(keys[0], expected[keys[0]], actual, entities, path);
    if (!isDoc(actual)) fail(path, `expected a document ${show(expected)}, got ${show(actual)}`);
    for (const k of keys) {
      const e = expected[k];
      const sub = `${path}.${k}`;
      if (isDoc(e) && '$$exists' in e) {
        if ((actual[k] !== undefined) !== e.$$exists) fail(sub, `expected exists=${String(e.$$exists)}`);
        continue;
      }
      if (isDoc(e) && '$$unsetOrMatches' in e && actual[k] === undefined) continue;
      if (!(k in actual) || actual[k] === undefined) fail(sub, `missing (expected ${show(e)})`);
      match(e, actual[k], entities, false, sub);
    }
    if (!root) {
      for (const k of Object.keys(actual))
        if (!(k in expected) && actual[k] !== undefined) fail(`${path}.${k}`, 'extra field');
    }
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) fail(path, `expected an array, got ${show(actual)}`);
    if (actual.length !== expected.length)
      fail(path, `expected ${expected.length} elements, got ${actual.length}: ${show(actual)}`);
    expected.forEach((e, i) => match(e, actual[i], entities, false, `${path}[${i}]`));
    return;
  }
  const en = asNumber(expected);
  if (en !== undefined) {
    if (asNumber(actual) !== en) fail(path, `expected ${en}, got ${show(actual)}`);
    return;
  }
  if (expected === null || typeof expected !== 'object') {
    if (actual !== expected && !(expected === null && actual === undefined)) {
      fail(path, `expected ${show(expected)}, got ${show(actual)}`);
    }
    return;
  }
  if (show(expected) !== show(actual)) fail(path, `expected ${show(expected)}, got ${show(actual)}`);
}

function special(op: string, arg: unknown, actual: unknown, entities: Entities, path: string): void {
  switch (op) {
    case '$$exists':
      if ((actual !== undefined) !== arg) fail(path, `expected exists=${String(arg)}`);
      return;
    case '$$type': {
      const types = Array.isArray(arg) ? (arg as string[]) : [arg as string];
      if (!types.some((t) => TYPES[t]?.(actual))) fail(path, `expected type ${types.join('|')}, got ${show(actual)}`);
      return;
    }
    case '$$unsetOrMatches':
      if (actual === undefined) return;
      return match(arg, actual, entities, true, path);
    case '$$matchesEntity':
      return match(entities.get(arg as string), actual, entities, true, path);
    case '$$matchesHexBytes':
      if (Buffer.from((actual as { buffer?: Uint8Array }).buffer ?? []).toString('hex') !== String(arg).toLowerCase())
        fail(path, 'bytes differ');
      return;
    case '$$sessionLsid':
      return match((entities.get(`lsid:${arg as string}`) as never) ?? null, actual, entities, false, path);
    case '$$lte':
      if (!((asNumber(actual) ?? NaN) <= (asNumber(arg) ?? NaN))) fail(path, `expected <= ${show(arg)}`);
      return;
    case '$$matchAsDocument':
      return match(arg, BSON.EJSON.parse(String(actual)), entities, false, path);
    case '$$matchAsRoot':
      return match(arg, actual, entities, true, path);
    default:
      fail(path, `unsupported operator ${op}`);
  }
}
