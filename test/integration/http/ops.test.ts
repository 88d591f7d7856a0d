// Ops endpoints and the API's error conventions: healthz, readyz, metrics access, 404/413 JSON bodies, headers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { Session } from '../../helpers/http.js';

let srv: TestServer;
before(async () => {
  srv = await startTestServer({ env: { METRICS_TOKEN: 'metrics-token-0123456789', JSON_BODY_LIMIT: '2kb' } });
});
after(() => srv.close());

test('healthz and readyz answer 200 with the database up', async () => {
  const h = await fetch(`${srv.baseUrl}/healthz`);
  assert.equal(h.status, 200);
  assert.ok(h.headers.get('x-request-id'));
  const r = await fetch(`${srv.baseUrl}/readyz`);
  assert.equal(r.status, 200);
  assert.equal(((await r.json()) as { database: string }).database, 'up');
});

test('metrics need an admin session or the metrics token', async () => {
  assert.equal((await fetch(`${srv.baseUrl}/metrics`)).status, 401);
  assert.equal(
    (await fetch(`${srv.baseUrl}/metrics`, { headers: { authorization: 'Bearer wrong-token-xxxxxxxx' } })).status,
    403,
  );
  const ok = await fetch(`${srv.baseUrl}/metrics`, { headers: { authorization: 'Bearer metrics-token-0123456789' } });
  assert.equal(ok.status, 200);
  assert.match(await ok.text(), /parley_http_requests_total/);
  const s = new Session(srv.baseUrl);
  await s.login(srv.admin.email, srv.admin.password);
  assert.equal((await s.get('/metrics')).status, 200);
});

test('unknown API routes are JSON 404s; huge bodies are 413; security headers are set', async () => {
  const r = await new Session(srv.baseUrl).get('/api/nope');
  assert.equal(r.status, 404);
  assert.equal(r.body.error.code, 'not_found');
  const big = await new Session(srv.baseUrl).post('/api/auth/login', { email: 'a@b.c', password: 'x'.repeat(5000) });
  assert.equal(big.status, 413);
  assert.deepEqual(Object.keys(big.body.error).sort(), ['code', 'message']);
  assert.equal(big.body.error.code, 'payload_too_large');
  const h = await fetch(`${srv.baseUrl}/healthz`);
  assert.ok(h.headers.get('content-security-policy'));
  assert.equal(h.headers.get('x-powered-by'), null);
});
