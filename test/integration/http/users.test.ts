// Users admin API: create, validation, conflicts, role denial, role change, deactivation killing sessions.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { Session } from '../../helpers/http.js';

let srv: TestServer;
let admin: Session;
before(async () => {
  srv = await startTestServer();
  admin = new Session(srv.baseUrl);
  assert.equal((await admin.login(srv.admin.email, srv.admin.password)).status, 200);
});
after(() => srv.close());

const newUser = (email: string, role = 'agent') => ({
  email,
  name: `User ${email}`,
  role,
  password: 'a-good-password',
});

test('admin creates a user; the response never carries the hash; the user can log in', async () => {
  const r = await admin.post('/api/users', { ...newUser('Agent.One@Parley.test'), channelIds: ['ch1'] });
  assert.equal(r.status, 201);
  assert.equal(r.body.email, 'agent.one@parley.test');
  assert.deepEqual(r.body.channelIds, ['ch1']);
  assert.equal(r.body.active, true);
  assert.equal(JSON.stringify(r.body).includes('passwordHash'), false);
  const list = await admin.get('/api/users');
  assert.equal(JSON.stringify(list.body).includes('argon2'), false);
  const s = new Session(srv.baseUrl);
  assert.equal((await s.login('agent.one@parley.test', 'a-good-password')).status, 200);
});

test('invalid bodies get 400 naming the field and create nothing', async () => {
  const before = (await admin.get('/api/users')).body.items.length;
  const cases: [unknown, RegExp][] = [
    [{ ...newUser('x@parley.test'), role: 'god' }, /role/],
    [{ ...newUser('not-an-email') }, /email/],
    [{ ...newUser('y@parley.test'), password: 'short' }, /password/],
    [{ ...newUser('z@parley.test'), extra: 1 }, /extra/],
  ];
  for (const [body, field] of cases) {
    const r = await admin.post('/api/users', body);
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.error.code, 'invalid_input');
    assert.match(r.body.error.message, field);
  }
  assert.equal((await admin.get('/api/users')).body.items.length, before);
});

test('duplicate email → 409 email_taken', async () => {
  assert.equal((await admin.post('/api/users', newUser('dup@parley.test'))).status, 201);
  const r = await admin.post('/api/users', newUser('DUP@parley.test'));
  assert.equal(r.status, 409);
  assert.equal(r.body.error.code, 'email_taken');
});

test('non-admins are denied the users API with 403', async () => {
  await admin.post('/api/users', newUser('sup@parley.test', 'supervisor'));
  const s = new Session(srv.baseUrl);
  await s.login('sup@parley.test', 'a-good-password');
  const r = await s.get('/api/users');
  assert.equal(r.status, 403);
  assert.equal(r.body.error.code, 'forbidden');
  assert.equal((await s.post('/api/users', newUser('evil@parley.test', 'admin'))).status, 403);
});

test('role change applies to the next request; deactivation ends existing sessions at once', async () => {
  const created = await admin.post('/api/users', newUser('promote@parley.test', 'agent'));
  const s = new Session(srv.baseUrl);
  await s.login('promote@parley.test', 'a-good-password');
  assert.equal((await s.get('/api/users')).status, 403);
  const up = await admin.patch(`/api/users/${created.body.id}`, { role: 'admin' });
  assert.equal(up.status, 200);
  assert.equal(up.body.role, 'admin');
  assert.equal((await s.get('/api/users')).status, 200);
  const off = await admin.patch(`/api/users/${created.body.id}`, { active: false });
  assert.equal(off.body.active, false);
  assert.equal((await s.get('/api/auth/me')).status, 401);
  assert.equal((await new Session(srv.baseUrl).login('promote@parley.test', 'a-good-password')).status, 401);
});

test('the last active admin cannot be demoted or deactivated; unknown ids are 404', async () => {
  const me = await admin.get('/api/auth/me');
  const list = (await admin.get('/api/users')).body.items as { id: string; role: string; active: boolean }[];
  for (const u of list)
    if (u.role === 'admin' && u.active && u.id !== me.body.user.id)
      await admin.patch(`/api/users/${u.id}`, { active: false });
  const r = await admin.patch(`/api/users/${me.body.user.id}`, { role: 'agent' });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.code, 'last_admin');
  assert.equal((await admin.patch('/api/users/000000000000000000000000', { name: 'x' })).status, 404);
  assert.equal((await admin.patch('/api/users/not-an-id', { name: 'x' })).status, 404);
  assert.equal((await admin.patch(`/api/users/${me.body.user.id}`, {})).status, 400);
});
