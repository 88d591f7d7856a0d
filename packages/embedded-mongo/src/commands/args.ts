// Argument parsing/validation helpers shared by the command handlers of the embedded engine (collection names,
// numbers, sub-documents, unsupported options, new-document checks). Must never touch the store.
import { ObjectId, type Document } from 'bson';
import { CommandError, Codes } from '../errors.js';
import { copyAnnotations } from '../normalise.js';
import { isPlainObject } from '../values.js';

export function collName(cmd: Document, field: string): string {
  const name = cmd[field];
  if (typeof name !== 'string' || !name) {
    throw new CommandError(Codes.InvalidNamespace, `collection name has invalid type ${typeof name}`);
  }
  return name;
}

export function num(v: unknown, field: string, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  const n = Number(typeof v === 'object' ? String(v) : v);
  if (!Number.isFinite(n)) throw new CommandError(Codes.TypeMismatch, `'${field}' must be a number`);
  return Math.trunc(n);
}

export function docArg(v: unknown, field: string): Document {
  if (v === undefined || v === null) return {};
  if (!isPlainObject(v)) throw new CommandError(Codes.TypeMismatch, `'${field}' must be an object`);
  return v;
}

/** Rejects options whose semantics this engine does not implement (instead of silently ignoring them). */
export function rejectUnsupported(cmd: Document, fields: string[], collationAllowed = false): void {
  for (const f of fields) {
    if (cmd[f] !== undefined && cmd[f] !== false) {
      throw new CommandError(Codes.NotImplemented, `option '${f}' is not supported by the embedded database engine`);
    }
  }
  const coll = cmd.collation as Document | undefined;
  if (!collationAllowed && coll && coll.locale !== 'simple') {
    throw new CommandError(Codes.NotImplemented, 'collation is not supported by the embedded database engine');
  }
}

/** Filters arrive normalised (engine.execute); kept as the single place to add filter checks. */
export function checkFilter(filter: Document): Document {
  return filter;
}

/** Validates a document about to be stored and gives it an _id (first field) when it has none. */
export function prepareNewDoc(raw: unknown): Document {
  if (!isPlainObject(raw)) throw new CommandError(Codes.TypeMismatch, 'document to insert must be an object');
  for (const k of Object.keys(raw)) {
    if (k.startsWith('$')) {
      throw new CommandError(Codes.DollarPrefixedFieldName, `Document can't have $ prefixed field names: ${k}`);
    }
  }
  let doc = raw;
  if (doc._id === undefined) {
    doc = { _id: new ObjectId(), ...doc };
    copyAnnotations(raw, doc);
  }
  const id = doc._id;
  if (Array.isArray(id)) throw new CommandError(Codes.InvalidIdField, "can't use an array for _id");
  if (id instanceof RegExp) throw new CommandError(Codes.InvalidIdField, "can't use a regex for _id");
  return doc;
}
