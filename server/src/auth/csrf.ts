// CSRF protection (docs/API.md): a per-session synchroniser token, returned by login and /api/auth/me, that every
// state-changing /api request from a browser session must echo in X-CSRF-Token. Only the routes `exempt` names
// skip it (login; the bearer-token API, which never reads the session). Must never accept a token from the query
// string or a cookie, and never let a header the client chooses (such as Authorization) skip the check.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { forbidden } from '../errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CSRF_HEADER = 'x-csrf-token';

/** The session's token, created on first use. */
export function csrfTokenFor(req: Request): string {
  if (!req.session.csrfToken) req.session.csrfToken = randomBytes(32).toString('base64url');
  return req.session.csrfToken;
}

function sameToken(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** `exempt(req)` lists routes that cannot carry a token (login creates the session). */
export function csrfProtection(exempt: (req: Request) => boolean): RequestHandler {
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method) || exempt(req)) return next();
    const sent = req.get(CSRF_HEADER);
    const expected = req.session?.csrfToken;
    if (!sent || !expected || !sameToken(sent, expected)) {
      return next(forbidden('Missing or invalid X-CSRF-Token header; reload the page and retry', 'csrf_failed'));
    }
    next();
  };
}
