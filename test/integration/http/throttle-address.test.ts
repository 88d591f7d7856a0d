// Login throttling per client address: many failures across different accounts from one address → 429.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { Session } from '../../helpers/http.js';

let srv: TestServer;
before(async () => {
  srv = await startTestServer({ env: { LOGIN_MAX_FAILURES_PER_ADDRESS: '4', LOGIN_MAX_FAILURES_PER_ACCOUNT: '100' } });
});
after(() => srv.close());

test('failures spread over many accounts from one address are throttled', async () => {
  for (let i = 0; i < 4; i++) {
    assert.equal((await new Session(srv.baseUrl).login(`user${i}@parley.test`, 'wrong-password')).status, 401);
  }
  const r = await new Session(srv.baseUrl).login(srv.admin.email, srv.admin.password);
  assert.equal(r.status, 429);
  assert.equal(r.body.error.code, 'too_many_attempts');
});
