// Error type and codes of the embedded engine: every failure a command reports to a client is a CommandError
// carrying a real MongoDB error code / codeName so drivers and mongoose classify it correctly.
// Must never import anything outside this package and never swallow an error (callers turn it into ok:0).
import type { Document } from 'bson';

export const Codes = {
  InternalError: 1,
  BadValue: 2,
  FailedToParse: 9,
  TypeMismatch: 14,
  PathNotViable: 28,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  ConflictingUpdateOperators: 40,
  CursorNotFound: 43,
  NamespaceExists: 48,
  CommandNotFound: 59,
  ImmutableField: 66,
  CannotCreateIndex: 67,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  CommandNotSupported: 115,
  NoSuchTransaction: 251,
  Location: 17419,
  Unauthorized: 13,
  ConflictingOperationInProgress: 117,
  TransactionCommitted: 256,
  WriteConflict: 112,
  OperationNotSupportedInTransaction: 263,
  DollarPrefixedFieldName: 52,
  InvalidIdField: 53,
  DuplicateKey: 11000,
  NotImplemented: 238,
  InvalidPipelineOperator: 168,
  OutOfDiskSpace: 14031,
  UnrecognizedPipelineStage: 40324,
  SearchNotEnabled: 31082,
  Location16764: 16764,
  BSONObjectTooLarge: 10334,
  TransactionTooOld: 225,
  UnknownReplWriteConcern: 79,
  UnsatisfiableWriteConcern: 100,
} as const;

const codeNames = new Map<number, string>(Object.entries(Codes).map(([k, v]) => [v, k]));
codeNames.set(11000, 'DuplicateKey');

export function codeName(code: number): string {
  return codeNames.get(code) ?? 'UnknownError';
}

export class CommandError extends Error {
  readonly code: number;
  readonly extra: Document;
  constructor(code: number, message: string, extra: Document = {}) {
    super(message);
    this.code = code;
    this.extra = extra;
  }
  toReply(): Document {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: codeName(this.code), ...this.extra };
  }
  /** Shape used inside writeErrors arrays. */
  toWriteError(index: number): Document {
    return { index, code: this.code, codeName: codeName(this.code), errmsg: this.message, ...this.extra };
  }
}

export const badValue = (msg: string): CommandError => new CommandError(Codes.BadValue, msg);

/** Converts anything thrown while executing a command (mingo errors included) into a CommandError. */
export function toCommandError(e: unknown): CommandError {
  if (e instanceof CommandError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  const name = e instanceof Error ? e.constructor.name : '';
  const bug = e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError;
  if (
    name === 'MingoError' ||
    (!bug && /operator|expression|must be|expects|invalid|unknown|not supported|cannot/i.test(msg))
  ) {
    return new CommandError(Codes.BadValue, msg);
  }
  return new CommandError(Codes.InternalError, `internal error: ${msg}`);
}
