// Per-sender ordering in the intake: one key runs strictly in queue order even when an earlier event is slower;
// other keys do not wait; a failure does not block what follows; keys are forgotten when idle.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SenderOrder, orderKey } from '../../../server/src/inbox/intake/ordering.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('same key in order, other keys concurrently, failures do not block', async () => {
  const order = new SenderOrder();
  const log: string[] = [];
  const step =
    (name: string, ms: number, fail = false) =>
    async () => {
      log.push(`start ${name}`);
      await sleep(ms);
      log.push(`end ${name}`);
      if (fail) throw new Error(name);
    };
  const a1 = order.run('a', step('a1', 30, true));
  const a2 = order.run('a', step('a2', 1));
  const b1 = order.run('b', step('b1', 1));
  const r = await Promise.allSettled([a1, a2, b1]);
  assert.deepEqual(
    r.map((x) => x.status),
    ['rejected', 'fulfilled', 'fulfilled'],
  );
  // b1 ran while a1 was still running; a2 only after a1 ended.
  assert.ok(log.indexOf('end b1') < log.indexOf('end a1'), log.join(', '));
  assert.ok(log.indexOf('start a2') > log.indexOf('end a1'), log.join(', '));
  await sleep(0);
  assert.equal(order.size, 0);
});

test('keys: one customer on one channel; statuses by provider message', () => {
  const id = (value: string) => [{ kind: 'wa_id', value }];
  const msg = (value: string) =>
    ({ type: 'message', message: { identities: id(value) } }) as unknown as Parameters<typeof orderKey>[1];
  assert.equal(orderKey('c1', msg('346')), orderKey('c1', msg('346')));
  assert.notEqual(orderKey('c1', msg('346')), orderKey('c2', msg('346')));
  assert.notEqual(orderKey('c1', msg('346')), orderKey('c1', msg('347')));
  const status = { type: 'status', status: { providerMessageId: 'wamid.1' } } as unknown as Parameters<
    typeof orderKey
  >[1];
  assert.match(orderKey('c1', status), /status\/wamid\.1$/);
});
