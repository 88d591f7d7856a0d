// Journal records <-> stored BSON documents, and the header check of journal/snapshot files. Files are read with
// promoteValues:false (like the engine's wire layer), so a `put` document comes back with its exact BSON number types
// (Int32/Double/Long wrappers) for the engine to normalise; every other field (ids, index specs, options, headers)
// is given back with plain JS numbers. Pure functions: must never touch the file system, and never accept a record
// type it does not know (a newer format must fail loudly).
import type { Document } from 'bson';
import type { JournalRecord } from './types.js';

export const FORMAT_VERSION = 1;
const RECORD_TYPES = new Set(['put', 'del', 'createColl', 'dropColl', 'dropDb', 'createIndex', 'dropIndex', 'retry']);

/** The wire form of a record: only defined fields (an undefined `options` must not come back as null). */
export function fromRecord(rec: JournalRecord): Document {
  const out: Document = {};
  for (const [k, v] of Object.entries(rec)) if (v !== undefined) out[k] = v;
  return out;
}

export function toRecord(doc: Document, label: string): JournalRecord {
  if (typeof doc.t !== 'string' || !RECORD_TYPES.has(doc.t)) {
    throw new Error(`${label} holds an unknown record type ${JSON.stringify(doc.t)} (written by a newer version?)`);
  }
  return (doc.t === 'put' ? doc : unwrapNumbers(doc)) as JournalRecord;
}

/** Replaces Int32/Double wrappers by plain numbers, in place (Long stays Long: it may not fit a double). */
export function unwrapNumbers<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  const type = (v as { _bsontype?: string })._bsontype;
  if (type === 'Int32' || type === 'Double') return (v as unknown as { value: number }).value as T;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = unwrapNumbers(v[i]);
  } else if (Object.getPrototypeOf(v) === Object.prototype) {
    const o = v as Document;
    for (const k of Object.keys(o)) o[k] = unwrapNumbers(o[k]);
  }
  return v;
}

export function headerGeneration(frame: Document[] | undefined, format: string, label: string): number {
  const h = unwrapNumbers(frame?.[0]);
  if (!h || h.t !== 'header' || h.format !== format) throw new Error(`${label} is not a ${format} file`);
  if (h.version !== FORMAT_VERSION)
    throw new Error(`${label} has format version ${h.version}; this build reads ${FORMAT_VERSION}`);
  if (typeof h.gen !== 'number' || !Number.isInteger(h.gen) || h.gen < 0)
    throw new Error(`${label} has a bad generation`);
  return h.gen;
}
