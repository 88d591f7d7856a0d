// Password reset: POST /api/users/:id/password is for admins only (agents and supervisors 403, signed out 403
// without CSRF / 401), refuses a short or extra field naming it with nothing changed, 404 for an unknown user;
// a reset ends the user's sessions and live sockets (session:ended password_changed), the old password stops
// working, the new one works, and the audit trail has `user.password_reset` without the password. The shell's
// `npm run user:reset-password -- <email>` does the same on the embedded engine's data folder and prints a new
// password once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestServer } from '../../helpers/server.js';
import { Session, nextEvent } from '../../helpers/http.js';

const run = promisify(execFile);

test('admins reset a password: sessions and sockets end, old password refused, audited', async () => {
  const srv = await startTestServer();
  try {
    const admin = new Session(srv.baseUrl);
    await admin.login(srv.admin.email, srv.admin.password);
    const mk = async (email: string, role: string) =>
      (await admin.post('/api/users', { email, name: email, role, password: 'the-old-password' })).body.id as string;
    const agentId = await mk('reset.agent@parley.test', 'agent');
    await mk('reset.sup@parley.test', 'supervisor');
    const agent = new Session(srv.baseUrl);
    assert.equal((await agent.login('reset.agent@parley.test', 'the-old-password')).status, 200);
    const sup = new Session(srv.baseUrl);
    assert.equal((await sup.login('reset.sup@parley.test', 'the-old-password')).status, 200);

    // Forbidden and bad cases change nothing.
    assert.equal((await sup.post(`/api/users/${agentId}/password`, { password: 'sup-chosen-pass' })).status, 403);
    assert.equal((await agent.post(`/api/users/${agentId}/password`, { password: 'self-chosen-pass' })).status, 403);
    assert.equal((await new Session(srv.baseUrl).post(`/api/users/${agentId}/password`, {})).status, 403);
    for (const [body, field] of [
      [{ password: 'short' }, /password: must be at least 10/],
      [{}, /password/],
      [{ password: 'long-enough-pass', role: 'admin' }, /role/],
    ] as const) {
      const r = await admin.post(`/api/users/${agentId}/password`, body);
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.match(r.body.error.message, field);
    }
    assert.equal(
      (await admin.post('/api/users/0123456789abcdef01234567/password', { password: 'long-enough-pass' })).status,
      404,
    );
    assert.equal((await agent.get('/api/auth/me')).status, 200, 'still signed in after refused attempts');

    const socket = await agent.socket();
    const ended = nextEvent<{ reason: string }>(socket, 'session:ended');
    const disconnected = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
    const r = await admin.post(`/api/users/${agentId}/password`, { password: 'the-new-password' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.id, agentId);
    assert.equal(JSON.stringify(r.body).includes('the-new-password'), false);
    assert.equal((await ended).reason, 'password_changed');
    await disconnected;
    assert.equal((await agent.get('/api/auth/me')).status, 401, 'the old session ended');
    assert.equal((await new Session(srv.baseUrl).login('reset.agent@parley.test', 'the-old-password')).status, 401);
    assert.equal((await new Session(srv.baseUrl).login('reset.agent@parley.test', 'the-new-password')).status, 200);
    assert.equal((await sup.get('/api/auth/me')).status, 200, "another user's session is untouched");

    const audit = await admin.get('/api/audit?action=user.password_reset');
    assert.equal(audit.body.items.length, 1);
    assert.equal(audit.body.items[0].target.id, agentId);
    assert.equal(JSON.stringify(audit.body).includes('the-new-password'), false);
  } finally {
    await srv.close();
  }
});

test('npm run user:reset-password on the data folder prints a new password once', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-reset-'));
  const env = { DATA_DIR: dataDir, EMBEDDED_DB_IN_MEMORY: '0', MONGODB_DB: 'parley', SESSION_SECRET: 's'.repeat(40) };
  const first = await startTestServer({ env });
  const email = first.admin.email;
  await first.close();

  const cliEnv = { ...process.env, ...env, MONGODB_URI: process.env.MONGODB_URI ?? '', NODE_ENV: 'test' };
  const unknown = await run('npx', ['tsx', 'server/src/users/reset-password-cli.ts', 'nobody@parley.test'], {
    env: cliEnv,
  }).catch((e: { code: number; stderr: string }) => e);
  assert.equal((unknown as { code: number }).code, 1);
  const { stdout } = await run('npx', ['tsx', 'server/src/users/reset-password-cli.ts', email], { env: cliEnv });
  const password = /^ {3}(\S{16,})$/m.exec(stdout)?.[1];
  assert.ok(password, `a password in: ${stdout}`);

  const second = await startTestServer({ env });
  try {
    assert.equal((await new Session(second.baseUrl).login(email, second.admin.password)).status, 401);
    assert.equal((await new Session(second.baseUrl).login(email, password)).status, 200);
  } finally {
    await second.close();
  }
});
