// Who may use the sandbox phone: only a signed-in console session allowed 'sandbox:use' (admins). Without a session
// the page says a console login is needed (401) and the API answers 401; an agent gets 403; a POST without the
// session's CSRF token (a cross-site form or fetch) gets 403 — and in none of these is anything injected into the
// inbox or read from it. A live reply stream ends once its session is gone.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { Session } from '../../helpers/http.js';
import { settle } from '../../helpers/webhooks.js';
import { sandboxCaller, sandboxSession } from '../../helpers/sandbox.js';
import { ChannelModel } from '../../../server/src/models/channel.js';
import { MessageModel } from '../../../server/src/models/message.js';
import { WebhookEventModel } from '../../../server/src/models/webhook-event.js';

const PHONE = '15550177001';
const AGENT = { name: 'Ana Agent', email: 'ana.agent@parley.test', password: 'agent-password-42' };
const SEND = { phone: PHONE, name: 'Mallory', text: 'injected?' };

let srv: TestServer;
let admin: Session;
let agent: Session;

before(async () => {
  srv = await startTestServer();
  admin = await sandboxSession(srv);
  const sandbox = await ChannelModel.findOne({ kind: 'sandbox' }).lean();
  const created = await admin.post('/api/users', { ...AGENT, role: 'agent', channelIds: [String(sandbox!._id)] });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  agent = new Session(srv.baseUrl);
  assert.equal((await agent.login(AGENT.email, AGENT.password)).status, 200);
});
after(() => srv.close());

const stored = async () => ({
  messages: await MessageModel.countDocuments(),
  webhookEvents: await WebhookEventModel.countDocuments(),
});

/** Every sandbox API route, with what a caller would send. */
const ROUTES: Array<[string, string, unknown?]> = [
  ['GET', '/info'],
  ['GET', `/messages?phone=${PHONE}`],
  ['POST', '/messages', SEND],
  ['POST', '/read', { phone: PHONE, ids: ['wamid.X'] }],
  ['GET', `/events?phone=${PHONE}`],
  ['GET', '/media/000000000000000000000000'],
  ['GET', '/nope'],
];

test('without a session: the page says a console login is needed, the API is 401, nothing injected', async () => {
  const before = await stored();
  const page = await fetch(`${srv.baseUrl}/sandbox`, { headers: { accept: 'text/html' } });
  assert.equal(page.status, 401);
  assert.match(page.headers.get('content-type') ?? '', /text\/html/);
  const html = await page.text();
  assert.match(html, /The sandbox needs a console login/);
  assert.match(html, /<a href="\/">Sign in to the console<\/a>/);
  assert.doesNotMatch(html, /sandbox-root/, 'the phone app itself is not served');
  const anonymous = new Session(srv.baseUrl);
  for (const [method, path, body] of ROUTES) {
    const r = await sandboxCaller(anonymous)(method, path, body);
    assert.equal(r.status, 401, `${method} ${path}`);
    assert.equal(r.body.error.code, 'unauthorized', `${method} ${path}`);
    assert.equal(r.headers.get('cache-control'), 'no-store');
  }
  // A cross-site page posting into the sandbox (SameSite=Lax keeps the cookie away; no token either).
  const cross = await fetch(`${srv.baseUrl}/sandbox/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', origin: 'https://evil.example' },
    body: JSON.stringify(SEND),
  });
  assert.equal(cross.status, 401);
  await settle(srv);
  assert.deepEqual(await stored(), before, 'nothing reached the inbox');
  assert.equal(await MessageModel.exists({ text: SEND.text }), null);
});

test('an agent (no sandbox:use) gets 403 on the page and every API route; nothing injected', async () => {
  const before = await stored();
  const page = await fetch(`${srv.baseUrl}/sandbox`, { headers: { cookie: agent.cookie, accept: 'text/html' } });
  assert.equal(page.status, 403);
  assert.match(await page.text(), /Your console account may not use the sandbox/);
  for (const [method, path, body] of ROUTES) {
    const r = await sandboxCaller(agent)(method, path, body);
    assert.equal(r.status, 403, `${method} ${path}`);
    assert.equal(r.body.error.code, 'forbidden', `${method} ${path}`);
  }
  await settle(srv);
  assert.deepEqual(await stored(), before);
});

test('an admin’s POST without the session’s CSRF token (cross-site) is 403 and injects nothing', async () => {
  const before = await stored();
  const none = await admin.post('/sandbox/api/messages', SEND, { csrf: false });
  assert.equal(none.status, 403);
  assert.equal(none.body.error.code, 'csrf_failed');
  const wrong = await admin.request('POST', '/sandbox/api/messages', SEND, {
    csrf: false,
    headers: { 'x-csrf-token': 'not-the-token', origin: 'https://evil.example' },
  });
  assert.equal(wrong.status, 403);
  const form = await admin.request('POST', '/sandbox/api/read', undefined, {
    csrf: false,
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
    raw: `phone=${PHONE}&ids=x`,
  });
  assert.equal(form.status, 403);
  await settle(srv);
  assert.deepEqual(await stored(), before);
  // With the token the same request works (the check is the token, not the route).
  const ok = await admin.post('/sandbox/api/messages', { ...SEND, text: 'with the token' });
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  await settle(srv);
  assert.ok(await MessageModel.exists({ text: 'with the token' }));
});

test('the demo ad pictures stay public (static creatives the console also shows)', async () => {
  const svg = await fetch(`${srv.baseUrl}/sandbox/demo-ads/120000000000900001.svg`);
  assert.equal(svg.status, 200);
});

test('a live reply stream ends when its session ends (logout), and cannot be reopened', async () => {
  const tester = await sandboxSession(srv);
  const cookie = tester.cookie;
  const res = await fetch(`${srv.baseUrl}/sandbox/api/events?phone=${PHONE}`, { headers: { cookie } });
  assert.equal(res.status, 200);
  const reader = res.body!.getReader();
  assert.equal((await tester.post('/api/auth/logout')).status, 204);
  const ended = (async () => {
    for (;;) if ((await reader.read()).done) return true;
  })();
  const timeout = new Promise<boolean>((r) => setTimeout(() => r(false), 8_000).unref());
  assert.equal(await Promise.race([ended, timeout]), true, 'the stream ended within the re-check interval');
  const again = await fetch(`${srv.baseUrl}/sandbox/api/events?phone=${PHONE}`, { headers: { cookie } });
  assert.equal(again.status, 401);
  await again.body?.cancel();
});
