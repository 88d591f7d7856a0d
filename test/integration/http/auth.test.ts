// Login, logout, me, CSRF and throttling over real HTTP against the real server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { Session } from '../../helpers/http.js';

let srv: TestServer;
before(async () => {
  srv = await startTestServer({ env: { LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_FAILURES_PER_ADDRESS: '50' } });
});
after(() => srv.close());

test('login returns the user and a CSRF token; me works; the cookie is httpOnly and SameSite=Lax', async () => {
  const s = new Session(srv.baseUrl);
  const res = await fetch(`${srv.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(srv.admin),
  });
  assert.equal(res.status, 200);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('parley.sid='));
  assert.ok(cookie, 'session cookie set');
  assert.match(cookie!, /HttpOnly/i);
  assert.match(cookie!, /SameSite=Lax/i);
  const body = (await res.json()) as { user: { email: string; role: string }; csrfToken: string };
  assert.equal(body.user.email, srv.admin.email);
  assert.equal(body.user.role, 'admin');
  assert.ok(body.csrfToken.length >= 32);
  assert.equal('passwordHash' in body.user, false);

  await s.login(srv.admin.email, srv.admin.password);
  const me = await s.get('/api/auth/me');
  assert.equal(me.status, 200);
  assert.equal(me.body.user.email, srv.admin.email);
});

test('unknown email and wrong password get the same 401 answer', async () => {
  const a = await new Session(srv.baseUrl).login('nobody@parley.test', 'whatever-password');
  const b = await new Session(srv.baseUrl).login(srv.admin.email, 'wrong-password-here');
  assert.equal(a.status, 401);
  assert.equal(b.status, 401);
  assert.deepEqual(a.body, b.body);
  assert.deepEqual(a.body, { error: { code: 'invalid_credentials', message: 'Wrong email or password' } });
});

test('bad login input gets a 400 naming the field', async () => {
  const r = await new Session(srv.baseUrl).post('/api/auth/login', { email: 'a@b.c' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.code, 'invalid_input');
  assert.match(r.body.error.message, /password/);
  const bad = await new Session(srv.baseUrl).request('POST', '/api/auth/login', undefined, { raw: '{"email": ' });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'invalid_json');
});

test('me and protected routes answer 401 without a session', async () => {
  const s = new Session(srv.baseUrl);
  const me = await s.get('/api/auth/me');
  assert.equal(me.status, 401);
  assert.equal(me.body.error.code, 'unauthorized');
  assert.equal((await s.get('/api/users')).status, 401);
});

test('state-changing requests without or with a wrong CSRF token are refused and change nothing', async () => {
  const s = new Session(srv.baseUrl);
  await s.login(srv.admin.email, srv.admin.password);
  const body = { email: 'csrf-victim@parley.test', name: 'X', role: 'agent', password: 'long-enough-pass' };
  const missing = await s.post('/api/users', body, { csrf: false });
  assert.equal(missing.status, 403);
  assert.equal(missing.body.error.code, 'csrf_failed');
  const wrong = await s.request('POST', '/api/users', body, { csrf: false, headers: { 'x-csrf-token': 'nope' } });
  assert.equal(wrong.status, 403);
  assert.equal(wrong.body.error.code, 'csrf_failed');
  const list = await s.get('/api/users');
  assert.equal(
    list.body.items.some((u: { email: string }) => u.email === body.email),
    false,
  );
  const ok = await s.post('/api/users', body);
  assert.equal(ok.status, 201);
});

test('an Authorization header does not skip CSRF for a cookie-authenticated request', async () => {
  const s = new Session(srv.baseUrl);
  await s.login(srv.admin.email, srv.admin.password);
  const body = { email: 'bearer-csrf@parley.test', name: 'X', role: 'admin', password: 'long-enough-pass' };
  for (const authorization of ['Bearer anything', 'Bearer prly_not-a-real-token', 'bearer x']) {
    const r = await s.request('POST', '/api/users', body, { csrf: false, headers: { authorization } });
    assert.equal(r.status, 403, authorization);
    assert.equal(r.body.error.code, 'csrf_failed');
  }
  const list = await s.get('/api/users');
  assert.equal(
    list.body.items.some((u: { email: string }) => u.email === body.email),
    false,
    'nothing created',
  );
  // The bearer-token API never reads the session cookie: a logged-in admin's cookie is not a token there.
  const v1 = await s.request('POST', '/api/v1/messages', { conversationId: 'x', text: 'hi' }, { csrf: false });
  assert.equal(v1.status, 401);
  assert.equal(v1.body.error.code, 'invalid_token');
});

test('logout ends the session', async () => {
  const s = new Session(srv.baseUrl);
  await s.login(srv.admin.email, srv.admin.password);
  const cookie = s.cookie;
  const out = await s.post('/api/auth/logout');
  assert.equal(out.status, 204);
  s.cookie = cookie; // replaying the old cookie must not work
  assert.equal((await s.get('/api/auth/me')).status, 401);
});

test('repeated failures on one account from one address (no known device) are throttled with 429, even with the right password', async () => {
  const s = new Session(srv.baseUrl);
  const admin = new Session(srv.baseUrl);
  await admin.login(srv.admin.email, srv.admin.password);
  await admin.post('/api/users', {
    email: 'throttled@parley.test',
    name: 'T',
    role: 'agent',
    password: 'right-password-1',
  });
  for (let i = 0; i < 3; i++) {
    assert.equal((await s.login('throttled@parley.test', `wrong-${i}-password`)).status, 401);
  }
  const blocked = await s.login('throttled@parley.test', 'right-password-1');
  assert.equal(blocked.status, 429);
  assert.equal(blocked.body.error.code, 'too_many_attempts');
  assert.ok(blocked.headers.get('retry-after'), 'Retry-After header');
  // Another account from the same address is not affected by this account's counter.
  assert.equal((await new Session(srv.baseUrl).login(srv.admin.email, srv.admin.password)).status, 200);
});
