// API answers are never cached (Cache-Control: no-store), and the request log never holds query values (verify
// tokens, search terms, phone numbers), cookies or tokens.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../../server/src/logger.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { Session } from '../../helpers/http.js';

let srv: TestServer;
const lines: string[] = [];
before(async () => {
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  srv = await startTestServer({ logger: createLogger({ LOG_LEVEL: 'info', NODE_ENV: 'test' }, sink) });
});
after(() => srv.close());

test('API responses carrying personal data are not cacheable', async () => {
  const s = new Session(srv.baseUrl);
  await s.login(srv.admin.email, srv.admin.password);
  for (const path of ['/api/auth/me', '/api/conversations', '/api/users', '/api/nothing-here']) {
    const r = await s.get(path);
    assert.equal(r.headers.get('cache-control'), 'no-store', path);
  }
  assert.equal((await fetch(`${srv.baseUrl}/api/auth/me`)).headers.get('cache-control'), 'no-store', '401 too');
});

test('the request log holds no query values, cookies or bearer tokens', async () => {
  const s = new Session(srv.baseUrl);
  await s.login(srv.admin.email, srv.admin.password);
  await s.get('/api/conversations?q=34612345678');
  await fetch(`${srv.baseUrl}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-s3cret-xyz&hub.challenge=1`);
  await fetch(`${srv.baseUrl}/api/v1/messages`, {
    method: 'POST',
    headers: { authorization: 'Bearer prly_leaky-token-123', 'content-type': 'application/json' },
    body: '{}',
  });
  await new Promise((r) => setTimeout(r, 100));
  const log = lines.join('');
  assert.ok(log.includes('/api/conversations?q=…'), 'the request was logged');
  for (const secret of ['34612345678', 'verify-s3cret-xyz', 'prly_leaky-token-123', s.cookie.split('=')[1]]) {
    assert.ok(!log.includes(secret), `log must not contain ${secret}`);
  }
});
