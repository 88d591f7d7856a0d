import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InboundHooks, type InboundContext } from '../../../server/src/inbox/hooks.js';

test('inbound hooks run in registration order and a failing hook does not stop the others', async () => {
  const errors: unknown[] = [];
  const hooks = new InboundHooks({ error: (o: unknown) => errors.push(o) } as never);
  const ran: string[] = [];
  hooks.register('compliance', async () => {
    ran.push('compliance');
    throw new Error('boom');
  });
  hooks.register('attribution', async (ctx) => {
    ran.push(`attribution:${ctx.messageId}`);
  });
  await hooks.run({ messageId: 'm1' } as InboundContext);
  assert.deepEqual(ran, ['compliance', 'attribution:m1']);
  assert.equal(errors.length, 1);
});
