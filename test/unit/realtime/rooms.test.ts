import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conversationRooms, policyRooms } from '../../../server/src/realtime/rooms.js';

test('rooms follow permissions', () => {
  assert.deepEqual(policyRooms({ id: 'a', role: 'agent', channelIds: ['c1', 'c2'], active: true }), [
    'channel:c1',
    'channel:c2',
  ]);
  assert.deepEqual(policyRooms({ id: 's', role: 'supervisor', channelIds: ['c1'], active: true }), [
    'conversations:all',
    'review',
  ]);
  assert.deepEqual(policyRooms({ id: 'm', role: 'marketer', channelIds: ['c1'], active: true }), []);
  assert.deepEqual(policyRooms({ id: 'x', role: 'admin', channelIds: [], active: true }), [
    'conversations:all',
    'admin:channels',
    'review',
  ]);
  assert.deepEqual(policyRooms({ id: 'd', role: 'admin', channelIds: [], active: false }), []);
  assert.deepEqual(conversationRooms('c1'), ['channel:c1', 'conversations:all']);
});
