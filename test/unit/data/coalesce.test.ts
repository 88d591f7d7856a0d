// The coalescer: calls made in one event-loop turn share one batch, each caller gets its own result in order, a
// failing batch fails only its own callers, and `max` (count) or `maxWeight` (bytes) split large batches.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coalesce } from '../../../server/src/data/coalesce.js';

test('calls in the same turn share one batch and get their own results', async () => {
  const batches: number[][] = [];
  const double = coalesce<number, number>(async (xs) => {
    batches.push(xs);
    return xs.map((x) => x * 2);
  });
  const out = await Promise.all([1, 2, 3].map((x) => double(x)));
  assert.deepEqual(out, [2, 4, 6]);
  assert.deepEqual(batches, [[1, 2, 3]]);
  assert.equal(await double(5), 10);
  assert.deepEqual(batches.at(-1), [5]);
});

test('max splits a batch; a failing batch rejects only its callers', async () => {
  const batches: number[][] = [];
  const f = coalesce<number, number>(
    async (xs) => {
      batches.push(xs);
      if (xs.includes(3)) throw new Error('boom');
      return xs;
    },
    { max: 2 },
  );
  const r = await Promise.allSettled([1, 2, 3, 4].map((x) => f(x)));
  assert.deepEqual(batches, [
    [1, 2],
    [3, 4],
  ]);
  assert.deepEqual(
    r.map((x) => x.status),
    ['fulfilled', 'fulfilled', 'rejected', 'rejected'],
  );
});

test('a batch that answers the wrong number of results fails its callers instead of mixing them up', async () => {
  const f = coalesce<number, number>(async (xs) => xs.slice(1));
  await assert.rejects(Promise.all([f(1), f(2)]), /batch answered 1 results for 2 items/);
});

test('maxWeight splits a batch by weight (bytes); an item heavier than the limit goes alone', async () => {
  const batches: number[][] = [];
  const f = coalesce<number, number>(
    async (xs) => {
      batches.push(xs);
      return xs;
    },
    { weight: (x) => x, maxWeight: 10 },
  );
  assert.deepEqual(await Promise.all([4, 5, 2, 12, 3, 3].map((x) => f(x))), [4, 5, 2, 12, 3, 3]);
  assert.deepEqual(batches, [[4, 5], [2], [12], [3, 3]]);
});
