// Who may use the sandbox phone: a signed-in console user allowed 'sandbox:use' (admins). The page answers 401/403
// with a plain page saying a console login is needed; the API answers 401/403 JSON, checks the session's CSRF token
// on POSTs (as the console API does) and is never cached; a live reply stream ends once its session or permission
// is gone. Must never let a request without a permitted session reach the phone (nothing injected, nothing read).
import type { Request, RequestHandler, Response } from 'express';
import { can } from '../auth/permissions.js';
import { csrfProtection } from '../auth/csrf.js';
import { loadAuthUser } from '../auth/passport.js';
import { requirePermission } from './guards.js';

/** How often a live reply stream re-checks that its session still exists and may use the sandbox. */
export const STREAM_RECHECK_MS = 5_000;

const NOTICE_STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d2330}' +
  'main{max-width:34rem;margin:12vh auto;padding:2rem;background:#fff;border-radius:12px;' +
  'box-shadow:0 1px 3px #0002}h1{font-size:1.35rem;margin-top:0}a{color:#0b5cad}';

function notice(res: Response, status: number, title: string, paragraphs: string[]): void {
  res
    .status(status)
    .type('html')
    .setHeader('Cache-Control', 'no-store')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} · Parley sandbox</title>` +
        `<meta name="viewport" content="width=device-width, initial-scale=1"><style>${NOTICE_STYLE}</style></head>` +
        `<body><main data-testid="sandbox-gate"><h1>${title}</h1>${paragraphs.map((p) => `<p>${p}</p>`).join('')}` +
        `</main></body></html>`,
    );
}

/** GET /sandbox: the page itself is only for a permitted console session. */
export const sandboxPageGate: RequestHandler = (req, res, next) => {
  if (!req.user) {
    return notice(res, 401, 'The sandbox needs a console login', [
      'The simulated customer phone writes into the inbox and shows the business’s replies, so it is only for ' +
        'signed-in console users allowed to use the sandbox (administrators).',
      '<a href="/">Sign in to the console</a>, then open <a href="/sandbox">/sandbox</a> again.',
    ]);
  }
  if (!can(req.user, 'sandbox:use')) {
    return notice(res, 403, 'Your console account may not use the sandbox', [
      'Only administrators may use the simulated customer phone. Ask an administrator, or ' +
        '<a href="/">go back to the console</a>.',
    ]);
  }
  next();
};

/** /sandbox/api/*: a permitted session (401/403 JSON), no caching, and the CSRF token on state-changing requests. */
export function sandboxApiGate(): RequestHandler[] {
  return [
    (_req, res, next) => {
      res.setHeader('Cache-Control', 'no-store');
      next();
    },
    requirePermission('sandbox:use'),
    csrfProtection(() => false),
  ];
}

async function stillAllowed(req: Request): Promise<boolean> {
  const userId = req.user?.id;
  if (!userId) return false;
  const stored = await new Promise<{ passport?: { user?: string } } | null | undefined>((resolve, reject) =>
    req.sessionStore.get(req.sessionID, (err, s) => (err ? reject(err) : resolve(s))),
  );
  if (stored?.passport?.user !== userId) return false;
  return can(await loadAuthUser(userId), 'sandbox:use');
}

/**
 * Calls `end` once the request's session is gone (logout, password change, deactivation) or its user may no longer
 * use the sandbox; a failed check ends it too. Returns the function that stops watching.
 */
export function watchSandboxSession(req: Request, end: () => void, everyMs = STREAM_RECHECK_MS): () => void {
  let stopped = false;
  const stop = () => {
    stopped = true;
    clearInterval(timer);
  };
  const finish = () => {
    if (stopped) return;
    stop();
    end();
  };
  const timer = setInterval(() => {
    stillAllowed(req).then((ok) => !ok && finish(), finish);
  }, everyMs);
  timer.unref();
  return stop;
}
