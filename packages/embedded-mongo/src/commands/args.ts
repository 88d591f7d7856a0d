// Argument parsing/validation helpers shared by the command handlers of the embedded engine (collection names,
// numbers, sub-documents, unsupported options, new-document checks). Must never touch the store.
import { ObjectId, type Document } from 'bson';
import { CommandError, Codes } from '../errors.js';
import { copyAnnotations } from '../normalise.js';
import { validateFilter } from '../query-check.js';
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
export function rejectUnsupported(cmd: Document, fields: string[]): void {
  for (const f of fields) {
    if (cmd[f] !== undefined && cmd[f] !== false) {
      throw new CommandError(Codes.NotImplemented, `option '${f}' is not supported by the embedded database engine`);
    }
  }
  const coll = cmd.collation as Document | undefined;
  if (coll && coll.locale !== 'simple') {
    throw new CommandError(Codes.NotImplemented, 'collation is not supported by the embedded database engine');
  }
}

/** Filters arrive normalised (engine.execute); operators are validated before anything is read. */
export function checkFilter(filter: Document): Document {
  validateFilter(filter);
  return filter;
}

/** Validates a document about to be stored and gives it an _id (first field) when it has none. */
export function prepareNewDoc(raw: unknown): Document {
  if (!isPlainObject(raw)) throw new CommandError(Codes.TypeMismatch, 'document to insert must be an object');
  // $-prefixed field names are allowed in stored documents (MongoDB 5.0+), except inside _id.
  let doc = raw;
  if (doc._id === undefined) {
    doc = { _id: new ObjectId(), ...doc };
    copyAnnotations(raw, doc);
  }
  const id = doc._id;
  if (Array.isArray(id)) throw new CommandError(Codes.InvalidIdField, "can't use an array for _id");
  if (id instanceof RegExp) throw new CommandError(Codes.InvalidIdField, "can't use a regex for _id");
  checkIdFields(id);
  return doc;
}

function checkIdFields(v: unknown): void {
  if (Array.isArray(v)) return v.forEach(checkIdFields);
  if (!isPlainObject(v)) return;
  for (const [k, sub] of Object.entries(v)) {
    if (k.startsWith('$')) {
      throw new CommandError(
        Codes.DollarPrefixedFieldName,
        `_id fields may not contain '$'-prefixed fields: ${k} is not valid for storage.`,
      );
    }
    checkIdFields(sub);
  }
}
