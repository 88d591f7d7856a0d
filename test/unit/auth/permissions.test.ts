import { test } from 'node:test';
import assert from 'node:assert/strict';
import { can } from '../../../server/src/auth/permissions.js';
import type { Role } from '../../../shared/src/index.js';

const user = (role: Role, channelIds: string[] = [], active = true) => ({ id: 'u1', role, channelIds, active });

test('admin can everything; inactive users nothing', () => {
  assert.equal(can(user('admin'), 'users:manage'), true);
  assert.equal(can(user('admin'), 'conversations:read', { channelId: 'any' }), true);
  assert.equal(can(user('admin', [], false), 'users:manage'), false);
  assert.equal(can(null, 'conversations:read'), false);
});

test('agents see only conversations of their channels and cannot reveal or export', () => {
  const agent = user('agent', ['c1']);
  assert.equal(can(agent, 'conversations:read', { channelId: 'c1' }), true);
  assert.equal(can(agent, 'conversations:read', { channelId: 'c2' }), false);
  assert.equal(can(agent, 'conversations:reply', { channelId: 'c2' }), false);
  assert.equal(can(agent, 'contacts:reveal'), false);
  assert.equal(can(agent, 'contacts:export'), false);
  assert.equal(can(agent, 'users:manage'), false);
});

test('supervisors see all conversations, reveal, review and audit; marketers only analytics', () => {
  const sup = user('supervisor');
  assert.equal(can(sup, 'conversations:read', { channelId: 'c9' }), true);
  assert.equal(can(sup, 'contacts:reveal'), true);
  assert.equal(can(sup, 'review:manage'), true);
  assert.equal(can(sup, 'users:manage'), false);
  const mk = user('marketer', ['c1']);
  assert.equal(can(mk, 'analytics:read'), true);
  assert.equal(can(mk, 'conversations:read', { channelId: 'c1' }), false);
  assert.equal(can(mk, 'contacts:reveal'), false);
});

test('only admins may use the sandbox phone (it injects inbound messages and reads replies)', () => {
  assert.equal(can(user('admin'), 'sandbox:use'), true);
  for (const role of ['supervisor', 'agent', 'marketer'] as const)
    assert.equal(can(user(role, ['c1']), 'sandbox:use'), false);
  assert.equal(can(user('admin', [], false), 'sandbox:use'), false);
});
