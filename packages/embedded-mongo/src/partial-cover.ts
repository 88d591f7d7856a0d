// Whether a partial index may serve a query: like mongod, only when the query's own equality constraints imply the
// index's partialFilterExpression — every field the expression names is pinned by the query to scalar values, and
// each allowed value satisfies the expression (e.g. `{providerMessageId: 'wamid.X'}` implies
// `{providerMessageId: {$type: 'string'}}`). Must never answer true when a matching document could be missing
// from the index.
import type { Document } from 'bson';
import type { Index } from './indexes.js';
import { isPlainObject, setPath } from './values.js';

const MAX_CHECKS = 64;

/** Top-level field paths an expression constrains; null when it uses anything but plain field conditions/$and. */
function fieldsOf(expr: Document, out = new Set<string>()): Set<string> | null {
  for (const key of Object.keys(expr)) {
    if (key === '$and' && Array.isArray(expr.$and)) {
      for (const sub of expr.$and) if (!isPlainObject(sub) || !fieldsOf(sub, out)) return null;
      continue;
    }
    if (key.startsWith('$')) return null;
    out.add(key);
  }
  return out;
}

export function partialCovers(ix: Index, eq: Map<string, unknown[]>): boolean {
  const expr = ix.spec.partialFilterExpression as Document | undefined;
  if (!ix.partial || !expr) return true;
  const fields = fieldsOf(expr);
  if (!fields || fields.size === 0) return false;
  let combos: Array<Array<[string, unknown]>> = [[]];
  for (const f of fields) {
    const vals = eq.get(f);
    if (!vals) return false;
    const next: Array<Array<[string, unknown]>> = [];
    for (const c of combos) for (const v of vals) next.push([...c, [f, v]]);
    combos = next;
    if (combos.length > MAX_CHECKS) return false;
  }
  return combos.every((pairs) => {
    const d: Document = {};
    for (const [f, v] of pairs) setPath(d, f, v);
    return ix.partial!.test(d);
  });
}
