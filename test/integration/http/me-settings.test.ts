// /api/users/me: a user reads and changes their own alert settings; bad input is refused naming the field with
// nothing changed; another user's settings are never touched; signed-out callers get 401; the admin-only users
// API stays closed to the same agent.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { Session } from '../../helpers/http.js';

let srv: TestServer;
let admin: Session;
let agent: Session;
let other: Session;
let otherId: string;

before(async () => {
  srv = await startTestServer();
  admin = new Session(srv.baseUrl);
  assert.equal((await admin.login(srv.admin.email, srv.admin.password)).status, 200);
  for (const email of ['ada.settings@parley.test', 'bob.settings@parley.test']) {
    const r = await admin.post('/api/users', { email, name: email, role: 'agent', password: 'a-good-password' });
    assert.equal(r.status, 201);
    if (email.startsWith('bob')) otherId = r.body.id;
  }
  agent = new Session(srv.baseUrl);
  assert.equal((await agent.login('ada.settings@parley.test', 'a-good-password')).status, 200);
  other = new Session(srv.baseUrl);
  assert.equal((await other.login('bob.settings@parley.test', 'a-good-password')).status, 200);
});
after(() => srv.close());

test('defaults are off; a user turns sound on and it persists, desktop untouched', async () => {
  assert.deepEqual((await agent.get('/api/users/me')).body, { alerts: { sound: false, desktop: false } });
  const r = await agent.patch('/api/users/me', { alerts: { sound: true } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body, { alerts: { sound: true, desktop: false } });
  assert.deepEqual((await agent.get('/api/users/me')).body, { alerts: { sound: true, desktop: false } });
  const both = await agent.patch('/api/users/me', { alerts: { desktop: true, sound: false } });
  assert.deepEqual(both.body, { alerts: { sound: false, desktop: true } });
});

test("another user's settings are untouched by it", async () => {
  assert.deepEqual((await other.get('/api/users/me')).body, { alerts: { sound: false, desktop: false } });
});

test('bad bodies → 400 naming what was wrong; nothing changes', async () => {
  const before = (await agent.get('/api/users/me')).body;
  const cases: [unknown, RegExp][] = [
    [{ alerts: { sound: 'yes' } }, /sound/],
    [{ alerts: {} }, /at least one/],
    [{ alerts: { sound: true, volume: 3 } }, /volume/],
    [{ alerts: { sound: true }, userId: otherId }, /userId/],
    [{ role: 'admin' }, /role|alerts/],
    [{}, /alerts/],
  ];
  for (const [body, field] of cases) {
    const r = await agent.patch('/api/users/me', body);
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.error.code, 'invalid_input');
    assert.match(r.body.error.message, field);
  }
  assert.deepEqual((await agent.get('/api/users/me')).body, before);
  assert.deepEqual((await other.get('/api/users/me')).body, { alerts: { sound: false, desktop: false } });
  const list = await admin.get<{ items: Array<{ email: string; role: string }> }>('/api/users');
  assert.equal(list.body.items.find((u) => u.email === 'ada.settings@parley.test')?.role, 'agent');
});

test("an agent cannot reach another user's record through the users API", async () => {
  const r = await agent.patch(`/api/users/${otherId}`, { name: 'Hijacked' });
  assert.equal(r.status, 403);
  const list = await admin.get<{ items: Array<{ id: string; name: string }> }>('/api/users');
  assert.equal(list.body.items.find((u) => u.id === otherId)?.name, 'bob.settings@parley.test');
  assert.equal(JSON.stringify(list.body).includes('alerts'), false, 'the admin list does not carry settings');
});

test('signed out → 401; a PATCH without the CSRF token → 403', async () => {
  const anon = new Session(srv.baseUrl);
  assert.equal((await anon.get('/api/users/me')).status, 401);
  // Without a session there is no CSRF token either: refused before the route (403 csrf_failed).
  assert.equal((await anon.patch('/api/users/me', { alerts: { sound: true } })).status, 403);
  const res = await fetch(`${srv.baseUrl}/api/users/me`, {
    method: 'PATCH',
    headers: { cookie: other.cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ alerts: { sound: true } }),
  });
  assert.equal(res.status, 403);
  assert.deepEqual((await other.get('/api/users/me')).body, { alerts: { sound: false, desktop: false } });
});
