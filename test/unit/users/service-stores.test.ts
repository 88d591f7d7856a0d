// The staff account service against an in-memory user store and session store (no database): the last active
// admin cannot be demoted or deactivated, and deactivating a user ends their sessions and is published.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBus } from '../../../server/src/events/bus.js';
import { UserService } from '../../../server/src/users/service.js';
import type { UserLean, UserStore } from '../../../server/src/data/users.js';
import type { UserSessions } from '../../../server/src/data/sessions.js';
import { isDomainError } from '../../../server/src/errors.js';
import { newId } from '../../../server/src/data/ids.js';

function memoryUsers(initial: Array<Pick<UserLean, 'email' | 'name' | 'role' | 'active'>>) {
  const now = new Date();
  const rows: UserLean[] = initial.map((u) => ({ ...u, _id: newId(), channelIds: [], createdAt: now, updatedAt: now }));
  const store: Partial<UserStore> = {
    get: async (id) => {
      const u = rows.find((r) => String(r._id) === String(id));
      return u ? { ...u } : null;
    },
    activeAdmins: async () => rows.filter((r) => r.role === 'admin' && r.active).length,
    update: async (id, change) => {
      const u = rows.find((r) => String(r._id) === String(id))!;
      const { passwordHash: _hash, ...rest } = change;
      Object.assign(u, rest);
    },
  };
  return { rows, store: store as UserStore };
}

test('the last active admin stays; deactivating another user ends their sessions and is published', async () => {
  const { rows, store } = memoryUsers([
    { email: 'admin@example.test', name: 'Admin', role: 'admin', active: true },
    { email: 'agent@example.test', name: 'Agent', role: 'agent', active: true },
  ]);
  const ended: string[] = [];
  const sessions: UserSessions = { destroyFor: async (userId) => (ended.push(userId), 1) };
  const bus = new EventBus();
  const deactivated: string[] = [];
  bus.subscribe('user.deactivated', (e) => void deactivated.push(e.userId));
  const users = new UserService(bus, sessions, store);
  const [admin, agent] = rows.map((r) => String(r._id));

  await assert.rejects(
    users.update(admin, { role: 'agent' }),
    (err) => isDomainError(err, 'conflict') && err.code === 'last_admin',
  );
  await assert.rejects(users.update(admin, { active: false }), (err) => isDomainError(err, 'conflict'));
  assert.equal(rows[0].role, 'admin');
  assert.equal(rows[0].active, true);

  const view = await users.update(agent, { active: false });
  assert.equal(view.active, false);
  assert.equal(rows[1].active, false);
  assert.deepEqual(ended, [agent]);
  assert.deepEqual(deactivated, [agent]);

  await assert.rejects(users.update(String(newId()), { name: 'x' }), (err) => isDomainError(err, 'not_found'));
});
