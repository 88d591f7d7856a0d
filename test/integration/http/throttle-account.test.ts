// Login throttling never locks the rightful user out: an attacker's failures block the attacker's address for
// that account, a known device (signed in before) keeps its own counter, and a correct password from a new
// address still signs in — only slowed down once the account has many failures.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { Session } from '../../helpers/http.js';
import { SLOWDOWN_STEP_MS } from '../../../server/src/auth/throttle.js';

let srv: TestServer;
const VICTIM = { email: 'victim@parley.test', password: 'the-right-password' };

before(async () => {
  srv = await startTestServer({
    env: { LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_FAILURES_PER_ADDRESS: '50', TRUST_PROXY: '1' },
  });
  const admin = new Session(srv.baseUrl);
  await admin.login(srv.admin.email, srv.admin.password);
  const r = await admin.post('/api/users', { ...VICTIM, name: 'Victim', role: 'agent' });
  assert.equal(r.status, 201);
});
after(() => srv.close());

/** One login attempt from `address`, with an optional device cookie; returns the status and any device cookie. */
async function attempt(address: string, password: string, device = '', email = VICTIM.email) {
  const started = Date.now();
  const res = await fetch(`${srv.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address, ...(device ? { cookie: device } : {}) },
    body: JSON.stringify({ email, password }),
  });
  await res.text();
  const set = res.headers.getSetCookie().find((c) => c.startsWith('parley.device='));
  return { status: res.status, device: set ? set.split(';')[0] : '', ms: Date.now() - started, setCookie: set ?? '' };
}

test('a successful login remembers the browser with a signed, httpOnly, SameSite=Strict device cookie', async () => {
  const ok = await attempt('198.51.100.1', VICTIM.password);
  assert.equal(ok.status, 200);
  assert.match(ok.device, /^parley\.device=[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
  assert.match(ok.setCookie, /HttpOnly/i);
  assert.match(ok.setCookie, /SameSite=Strict/i);
  assert.ok(!ok.setCookie.includes(VICTIM.email), 'the email is not in the cookie');
  const failed = await attempt('198.51.100.1', 'wrong-password-0', ok.device, 'nobody@parley.test');
  assert.equal(failed.status, 401);
  assert.equal(failed.device, '', 'no device cookie for a failed login');
});

test('an attacker’s failures block the attacker, not the rightful user', async () => {
  // The rightful user signed in on their laptop last week (a known device), from the office network.
  const laptop = (await attempt('192.0.2.10', VICTIM.password)).device;
  assert.ok(laptop);

  // An attacker guesses from one address until that address is blocked for the account.
  const attacker = '203.0.113.66';
  for (let i = 0; i < 3; i++) assert.equal((await attempt(attacker, `guess-${i}-password`)).status, 401);
  assert.equal((await attempt(attacker, 'guess-x-password')).status, 429);
  assert.equal((await attempt(attacker, VICTIM.password)).status, 429, 'the attacker is blocked even if right');

  // A guess from another address (a botnet) pushes the account over its limit.
  for (const a of ['203.0.113.67']) {
    assert.equal((await attempt(a, 'another-guess-pw')).status, 401);
  }

  // The known laptop signs in at once, even from the attacker's own address (same NAT).
  const fromLaptop = await attempt(attacker, VICTIM.password, laptop);
  assert.equal(fromLaptop.status, 200);
  assert.ok(fromLaptop.ms < SLOWDOWN_STEP_MS, `known device not slowed (${fromLaptop.ms} ms)`);

  // A new phone (no device cookie) with the right password still gets in — after a slowdown.
  const phone = await attempt('198.51.100.77', VICTIM.password);
  assert.equal(phone.status, 200);
  assert.ok(phone.ms >= SLOWDOWN_STEP_MS * 0.9, `slowed down (${phone.ms} ms)`);
  // …and a wrong password from a new address is slowed and refused, never a way around the limits.
  const slowWrong = await attempt('198.51.100.78', 'wrong-again-password');
  assert.equal(slowWrong.status, 401);
  assert.ok(slowWrong.ms >= SLOWDOWN_STEP_MS * 0.9);
});

test('a known device has its own failure limit, and a forged or foreign device cookie is not trusted', async () => {
  const other = { email: 'other@parley.test', password: 'other-right-password' };
  const admin = new Session(srv.baseUrl);
  await admin.login(srv.admin.email, srv.admin.password);
  assert.equal((await admin.post('/api/users', { ...other, name: 'Other', role: 'agent' })).status, 201);
  const third = { email: 'third@parley.test', password: 'third-right-password' };
  assert.equal((await admin.post('/api/users', { ...third, name: 'Third', role: 'agent' })).status, 201);
  const address = '192.0.2.200';
  const device = (await attempt(address, other.password, '', other.email)).device;
  for (let i = 0; i < 3; i++)
    assert.equal((await attempt(address, `bad-${i}-password`, device, other.email)).status, 401);
  assert.equal((await attempt(address, other.password, device, other.email)).status, 429, 'the device is throttled');

  // Another account's limit is untouched by this device; a tampered cookie, or the cookie of another account, is
  // not a known device of that account.
  const thirdDevice = (await attempt('192.0.2.202', third.password, '', third.email)).device;
  const tampered = thirdDevice.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
  const fresh = '192.0.2.201';
  for (let i = 0; i < 3; i++)
    assert.equal((await attempt(fresh, `nope-${i}-password`, device, third.email)).status, 401);
  assert.equal(
    (await attempt(fresh, third.password, device, third.email)).status,
    429,
    'another account’s cookie is not trusted',
  );
  assert.equal(
    (await attempt(fresh, third.password, tampered, third.email)).status,
    429,
    'a tampered cookie is not trusted',
  );
  assert.equal((await attempt(fresh, third.password, thirdDevice, third.email)).status, 200, 'the genuine one is');
});
