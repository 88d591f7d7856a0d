// Small building blocks of the data layer's coalesced reads: group a batch's items by a key and answer each caller
// from one query per group, and read documents by id with one $in per batch. Must never mix one caller's answer
// with another's, and never be imported from outside server/src/data/.
import type { Collection } from 'mongoose';
import { coalesce } from './coalesce.js';
import type { Id } from './ids.js';

/** One reply for a whole batch (the driver's default first batch is 101 documents, then a getMore each). */
export const BATCH = 10_000;

/** Groups items by a key, runs one query per group, answers in the callers' order. */
export function grouped<I, O>(keyOf: (i: I) => string, run: (group: I[]) => Promise<Map<I, O>>) {
  return coalesce<I, O>(async (items) => {
    const groups = new Map<string, I[]>();
    for (const i of items) {
      const k = keyOf(i);
      const g = groups.get(k);
      if (g) g.push(i);
      else groups.set(k, [i]);
    }
    const answers = await Promise.all([...groups.values()].map(run));
    const all = new Map<I, O>();
    for (const a of answers) for (const [i, o] of a) all.set(i, o);
    return items.map((i) => all.get(i) as O);
  });
}

/** A document of a collection by id, or null (one $in read per batch). */
export function byId<T extends { _id: Id }>(model: { collection: Collection }) {
  return coalesce<Id, T | null>(async (ids) => {
    const rows = await model.collection.find<T>({ _id: { $in: ids } }, { batchSize: BATCH }).toArray();
    const by = new Map(rows.map((r) => [String(r._id), r]));
    return ids.map((id) => by.get(String(id)) ?? null);
  });
}
