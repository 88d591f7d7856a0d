// Native implementation of the field update operators MongoDB apps use most ($set, $unset, $inc, $mul, $min,
// $max, $currentDate, $rename) on plain dotted paths, with MongoDB's errors (non-numeric $inc → 14, path through
// a scalar → 28). Positional/array-filter paths and array operators go to mingo instead (see update.ts).
// Mutates only the private copy it is given; must never see a stored document.
import { Timestamp, type Document } from 'bson';
import { CommandError, Codes } from './errors.js';
import { isTyped, markTyped, numTypeOf, setNumType, type NumType } from './normalise.js';
import { compareValues, formatValue, isPlainObject } from './values.js';

/** Operators handled here (for paths without `$` segments). */
export const NATIVE_OPS = new Set(['$set', '$unset', '$inc', '$mul', '$min', '$max', '$currentDate', '$rename']);

const isIndex = (s: string): boolean => /^\d+$/.test(s);
const PATH_NOT_VIABLE = Codes.PathNotViable;

export type Container = Document | unknown[];

/** Walks to the parent of `path`; creates missing objects when `create`. Returns null if the path is absent. */
export function parentOf(doc: Document, parts: string[], create: boolean): Container | null {
  let cur: Container = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i];
    let next: unknown;
    if (Array.isArray(cur)) {
      if (!isIndex(part)) {
        if (!create) return null;
        throw new CommandError(
          PATH_NOT_VIABLE,
          `Cannot create field '${part}' in element {${parts.slice(0, i).join('.')}: ${formatValue(cur)}}`,
        );
      }
      next = cur[Number(part)];
    } else next = Object.prototype.hasOwnProperty.call(cur, part) ? cur[part] : undefined;
    if (next === undefined || next === null) {
      if (!create) return null;
      if (next === null) {
        throw new CommandError(PATH_NOT_VIABLE, `Cannot create field '${parts[i + 1]}' in element {${part}: null}`);
      }
      next = {};
      setIn(cur, part, next);
    } else if (typeof next !== 'object' || (!Array.isArray(next) && !isPlainObject(next))) {
      if (!create) return null;
      throw new CommandError(
        PATH_NOT_VIABLE,
        `Cannot create field '${parts[i + 1]}' in element {${part}: ${formatValue(next)}}`,
      );
    }
    cur = next as Container;
  }
  return cur;
}

export function getIn(c: Container, key: string): unknown {
  if (Array.isArray(c)) return isIndex(key) ? c[Number(key)] : undefined;
  return Object.prototype.hasOwnProperty.call(c, key) ? c[key] : undefined;
}

function setIn(c: Container, key: string, value: unknown): void {
  if (Array.isArray(c)) {
    if (!isIndex(key)) throw new CommandError(PATH_NOT_VIABLE, `Cannot create field '${key}' in an array`);
    const idx = Number(key);
    while (c.length < idx) c.push(null);
    c[idx] = value;
  } else c[key] = value;
}

function isNum(v: unknown): v is number {
  return typeof v === 'number';
}

/** Records the BSON number type of a field just written (and flags the document when it needs re-wrapping). */
function typeAs(doc: Document, container: Container, key: string, t: NumType | undefined, value: unknown): void {
  setNumType(container, key, t);
  if (t || isTyped(value)) markTyped(doc);
}

/** Applies one native operator to `doc` (a private copy). */
export function applyNative(doc: Document, op: string, arg: Document, now: Date): void {
  for (const path of Object.keys(arg)) {
    const val = arg[path];
    const parts = path.split('.');
    const last = parts[parts.length - 1];
    switch (op) {
      case '$set': {
        const p = parentOf(doc, parts, true)!;
        setIn(p, last, val);
        typeAs(doc, p, last, numTypeOf(arg, path), val);
        break;
      }
      case '$unset': {
        const p = parentOf(doc, parts, false);
        if (!p) break;
        if (Array.isArray(p)) {
          if (isIndex(last) && Number(last) < p.length) p[Number(last)] = null;
        } else delete p[last];
        setNumType(p, last, undefined);
        break;
      }
      case '$inc':
      case '$mul': {
        if (!isNum(val)) {
          throw new CommandError(
            Codes.TypeMismatch,
            `Cannot ${op === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${path}: ${formatValue(val)}}`,
          );
        }
        const p = parentOf(doc, parts, true)!;
        const cur = getIn(p, last);
        const argT = numTypeOf(arg, path);
        const curT = numTypeOf(p, last);
        if (cur === undefined) {
          setIn(p, last, op === '$inc' ? val : 0);
          typeAs(doc, p, last, argT, val);
        } else if (!isNum(cur)) {
          throw new CommandError(
            Codes.TypeMismatch,
            `Cannot apply ${op} to a value of non-numeric type. {_id: ${formatValue(doc._id)}} has the field '${last}' of non-numeric type ${cur === null ? 'null' : typeof cur}`,
          );
        } else {
          setIn(p, last, op === '$inc' ? cur + val : cur * val);
          // MongoDB arithmetic widens: int32 < int64 < double
          typeAs(doc, p, last, argT === 'double' || curT === 'double' ? 'double' : (argT ?? curT), val);
        }
        break;
      }
      case '$min':
      case '$max': {
        const p = parentOf(doc, parts, true)!;
        const cur = getIn(p, last);
        const c = cur === undefined ? 0 : compareValues(val, cur);
        if (cur === undefined || (op === '$min' ? c < 0 : c > 0)) {
          setIn(p, last, val);
          typeAs(doc, p, last, numTypeOf(arg, path), val);
        }
        break;
      }
      case '$currentDate': {
        const type = isPlainObject(val) ? val.$type : 'date';
        if (val !== true && type !== 'date' && type !== 'timestamp') {
          throw new CommandError(
            Codes.BadValue,
            `${path} is not valid type for $currentDate. Please use a boolean ('true') or a $type expression ({$type: 'timestamp/date'}).`,
          );
        }
        const v =
          type === 'timestamp' ? new Timestamp({ t: Math.floor(now.getTime() / 1000), i: 1 }) : new Date(now.getTime());
        const p = parentOf(doc, parts, true)!;
        setIn(p, last, v);
        setNumType(p, last, undefined);
        break;
      }
      case '$rename': {
        const to = String(val);
        const p = parentOf(doc, parts, false);
        if (!p || Array.isArray(p)) break;
        if (!Object.prototype.hasOwnProperty.call(p, last)) break;
        const moved = p[last];
        const movedT = numTypeOf(p, last);
        delete p[last];
        setNumType(p, last, undefined);
        const toParts = to.split('.');
        const q = parentOf(doc, toParts, true)!;
        if (Array.isArray(q))
          throw new CommandError(Codes.BadValue, `The destination field for $rename may not be inside an array: ${to}`);
        setIn(q, toParts[toParts.length - 1], moved);
        typeAs(doc, q, toParts[toParts.length - 1], movedT, moved);
        break;
      }
      default:
        throw new CommandError(Codes.FailedToParse, `Unknown modifier: ${op}`);
    }
  }
}
