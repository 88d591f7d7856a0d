// The sandbox phone needs a signed-in console session allowed 'sandbox:use' (admins): helpers that sign a test in
// over HTTP (a Session for integration tests) or sign a browser context in (its cookie jar) before it opens
// /sandbox. Must never reach the sandbox without a real login.
import assert from 'node:assert/strict';
import type { BrowserContext } from 'playwright-core';
import { Session, type Reply } from './http.js';
import type { TestServer } from './server.js';

/** A Session signed in as the test server's admin (allowed to use the sandbox). */
export async function sandboxSession(srv: TestServer): Promise<Session> {
  const s = new Session(srv.baseUrl);
  const r = await s.login(srv.admin.email, srv.admin.password);
  assert.equal(r.status, 200, `admin login for the sandbox: ${JSON.stringify(r.body)}`);
  return s;
}

/** Calls /sandbox/api<path> in the given session (its cookie, and its CSRF token on POSTs). */
export function sandboxCaller(s: Session) {
  return <T = any>(method: string, path: string, body?: unknown): Promise<Reply<T>> =>
    s.request<T>(method, `/sandbox/api${path}`, body);
}

/** Signs a browser context in as `who` (default: the admin), sharing the cookie with the context's pages. */
export async function signInBrowser(
  context: BrowserContext,
  srv: TestServer,
  who: { email: string; password: string } = srv.admin,
): Promise<void> {
  const r = await context.request.post(`${srv.baseUrl}/api/auth/login`, {
    data: { email: who.email, password: who.password },
  });
  assert.equal(r.status(), 200, `browser login: ${await r.text()}`);
}
