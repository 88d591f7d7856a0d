// Write concerns on the engine's one-node replica set, answered like MongoDB: the write is applied, and a `w` the
// set can never satisfy (a number above 1: "Not enough data-bearing nodes", UnsatisfiableWriteConcern 100; a tag
// set name other than `majority`: UnknownReplWriteConcern 79) comes back as a `writeConcernError` on the reply.
// Pure: must never change what the command did.
import type { Document } from 'bson';
import { codeName } from './errors.js';
import { isPlainObject } from './values.js';

const UNSATISFIABLE = 100;
const UNKNOWN_MODE = 79;

/** Commands whose write concern is checked. */
const TAKES_WRITE_CONCERN = new Set([
  'insert',
  'update',
  'delete',
  'findAndModify',
  'findandmodify',
  'create',
  'drop',
  'dropDatabase',
  'createIndexes',
  'dropIndexes',
  'renameCollection',
  'commitTransaction',
  'abortTransaction',
]);

/** `reply` with the writeConcernError MongoDB would report for `writeConcern` (a new object when there is one). */
export function applyWriteConcern(command: string, writeConcern: unknown, reply: Document): Document {
  if (!isPlainObject(writeConcern) || reply.ok !== 1 || !TAKES_WRITE_CONCERN.has(command)) return reply;
  const w = (writeConcern as Document).w;
  let code = 0;
  let errmsg = '';
  if (typeof w === 'number' && w > 1) {
    code = UNSATISFIABLE;
    errmsg = 'Not enough data-bearing nodes';
  } else if (typeof w === 'string' && w !== 'majority') {
    code = UNKNOWN_MODE;
    errmsg = `No write concern mode named '${w}' found in replica set configuration`;
  }
  if (!code) return reply;
  return { ...reply, writeConcernError: { code, codeName: codeName(code), errmsg, errInfo: { writeConcern } } };
}
