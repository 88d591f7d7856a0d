// Restarting on the same data folder keeps users and sessions (embedded engine on disk, or the same MONGODB_URI db).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer } from '../../helpers/server.js';
import { Session } from '../../helpers/http.js';

test('users and sessions survive a restart', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-restart-'));
  const env = {
    DATA_DIR: dataDir,
    EMBEDDED_DB_IN_MEMORY: '0',
    MONGODB_DB: `parley_restart_${Date.now()}`,
    SESSION_SECRET: 'r'.repeat(40),
  };
  const first = await startTestServer({ env });
  const s = new Session(first.baseUrl);
  await s.login(first.admin.email, first.admin.password);
  const created = await s.post('/api/users', {
    email: 'keeper@parley.test',
    name: 'Keeper',
    role: 'agent',
    password: 'a-good-password',
  });
  assert.equal(created.status, 201);
  await first.close();

  const second = await startTestServer({ env });
  try {
    const again = new Session(second.baseUrl);
    again.cookie = s.cookie;
    const me = await again.get('/api/auth/me');
    assert.equal(me.status, 200, 'session cookie still valid after restart');
    const users = await again.get('/api/users');
    assert.ok(users.body.items.some((u: { email: string }) => u.email === 'keeper@parley.test'));
    assert.equal(
      users.body.items.filter((u: { role: string }) => u.role === 'admin').length,
      1,
      'no second first-admin',
    );
  } finally {
    await second.close();
  }
});
