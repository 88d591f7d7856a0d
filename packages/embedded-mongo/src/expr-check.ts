// Up-front validation of aggregation expressions, as MongoDB parses them before reading anything: an object whose
// first field starts with `$` names an operator, and an unknown one is InvalidPipelineOperator (168)
// "Unrecognized expression '$x'" — on an empty or missing collection too (mingo only notices when it evaluates a
// document). `$literal` contents are never inspected. Pure: must never evaluate anything or touch the store.
import { CommandError, Codes } from './errors.js';
import { MINGO_CONTEXT } from './mingo-context.js';
import { isPlainObject } from './values.js';

/** True when mingo's operator context knows `name` as an operator of `type`. */
export function knownOperator(type: 'expression' | 'accumulator' | 'pipeline', name: string): boolean {
  if (MINGO_CONTEXT.getOperator(type as never, name)) return true;
  // mingo evaluates accumulators used as expressions ({$sum: [...]} in $project) too
  return type === 'expression' && Boolean(MINGO_CONTEXT.getOperator('accumulator' as never, name));
}

/** Throws 168 for the first unknown expression operator inside `expr`. */
export function validateExpression(expr: unknown): void {
  if (Array.isArray(expr)) {
    for (const e of expr) validateExpression(e);
    return;
  }
  if (!isPlainObject(expr)) return;
  const keys = Object.keys(expr);
  if (keys.length === 0) return;
  const op = keys[0];
  if (!op.startsWith('$')) {
    for (const k of keys) validateExpression(expr[k]); // an object literal: its values are expressions
    return;
  }
  if (op === '$literal') return;
  if (!knownOperator('expression', op)) {
    throw new CommandError(Codes.InvalidPipelineOperator, `Unrecognized expression '${op}'`);
  }
  validateExpression(expr[op]);
}
