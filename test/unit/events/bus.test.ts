import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBus } from '../../../server/src/events/bus.js';

test('a failing listener does not break the publisher or other listeners', async () => {
  const errors: string[] = [];
  const bus = new EventBus((event) => errors.push(event));
  const got: string[] = [];
  bus.subscribe('user.deactivated', () => {
    throw new Error('boom');
  });
  bus.subscribe('user.deactivated', async () => {
    throw new Error('async boom');
  });
  const off = bus.subscribe('user.deactivated', (e) => {
    got.push(e.userId);
  });
  bus.publish('user.deactivated', { userId: 'u1' });
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(got, ['u1']);
  assert.deepEqual(errors, ['user.deactivated', 'user.deactivated']);
  off();
  bus.publish('user.deactivated', { userId: 'u2' });
  assert.deepEqual(got, ['u1']);
});
