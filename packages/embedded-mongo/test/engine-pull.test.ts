// $pull conditions through the real mongodb driver: logical $or/$and/$nor conditions are queries run against
// each document element (MongoDB semantics), operator-only conditions test the element itself.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useDriver } from './helpers/driver.js';

const engine = useDriver('pull');

const items = [
  { n: 1, c: 'a' },
  { n: 2, c: 'b' },
  { n: 3, c: 'a' },
];

async function pulled(cond: unknown): Promise<unknown[]> {
  const c = engine.db.collection<any>('t');
  await c.deleteMany({});
  await c.insertOne({ _id: 1, items, vals: [1, 5, 9] });
  await c.updateOne({ _id: 1 }, { $pull: cond as never });
  return ((await c.findOne({ _id: 1 })) as any).items;
}

test('$pull with $or removes the elements matching any branch', async () => {
  assert.deepEqual(await pulled({ items: { $or: [{ n: 1 }, { c: 'b' }] } }), [{ n: 3, c: 'a' }]);
});

test('$pull with $and removes the elements matching every branch', async () => {
  assert.deepEqual(await pulled({ items: { $and: [{ c: 'a' }, { n: { $gt: 1 } }] } }), items.slice(0, 2));
});

test('$pull with $nor removes only the elements matching no branch', async () => {
  assert.deepEqual(await pulled({ items: { $nor: [{ c: 'a' }] } }), [items[0], items[2]]);
});

test('$pull with field conditions and with operator-only conditions', async () => {
  assert.deepEqual(await pulled({ items: { c: 'a' } }), [items[1]]);
  const c = engine.db.collection<any>('t');
  await c.updateOne({ _id: 1 }, { $pull: { vals: { $gte: 5 } } as never });
  assert.deepEqual(((await c.findOne({ _id: 1 })) as any).vals, [1]);
});
