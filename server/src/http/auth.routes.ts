// /api/auth: login (throttled, same answer for unknown email and wrong password), logout, me. Thin: validate →
// passport → shape. Must never reveal whether an email exists.
import { Router, type RequestHandler } from 'express';
import { LoginBodySchema } from '../../../shared/src/index.js';
import type { PassportInstance, AuthUser } from '../auth/passport.js';
import { csrfTokenFor } from '../auth/csrf.js';
import type { DeviceCookies } from '../auth/device.js';
import type { EventBus } from '../events/bus.js';
import { recordAudit, userActor } from '../policy/audit.js';
import { HttpError } from './errors.js';
import { requireUser } from './guards.js';
import { parse } from './validate.js';

const sessionUser = (u: AuthUser) => ({ id: u.id, email: u.email, name: u.name, role: u.role });

export function authRoutes(deps: {
  passport: PassportInstance;
  throttles: RequestHandler[];
  devices: DeviceCookies;
  bus: EventBus;
}): Router {
  const r = Router();

  r.post('/login', ...deps.throttles, (req, res, next) => {
    parse(LoginBodySchema, req.body);
    deps.passport.authenticate('local', (err: unknown, user: AuthUser | false) => {
      if (err) return next(err);
      const ip = req.ip ?? null;
      if (!user) {
        // Audit the attempt (the email typed, never the password); the answer stays the same for every failure.
        const email = String((req.body as { email?: unknown }).email ?? '').slice(0, 200);
        return void recordAudit({
          actor: { type: 'user', id: null, name: email },
          action: 'auth.login_failed',
          details: { email, ip },
        }).then(() => next(new HttpError(401, 'invalid_credentials', 'Wrong email or password')), next);
      }
      req.logIn(user, (loginErr) => {
        if (loginErr) return next(loginErr);
        deps.devices.remember(req, res, user.email); // this browser is now a known device of the account
        recordAudit({
          actor: userActor(user),
          action: 'auth.login',
          target: { type: 'user', id: user.id },
          details: { ip },
        }).then(() => res.json({ user: sessionUser(user), csrfToken: csrfTokenFor(req) }), next);
      });
    })(req, res, next);
  });

  r.post('/logout', requireUser, (req, res, next) => {
    const sessionId = req.sessionID;
    const userId = req.user!.id;
    req.logOut((err) => {
      if (err) return next(err);
      req.session.destroy((destroyErr) => {
        if (destroyErr) return next(destroyErr);
        deps.bus.publish('session.ended', { sessionId, userId, reason: 'logout' });
        res.clearCookie('parley.sid');
        res.status(204).end();
      });
    });
  });

  r.get('/me', requireUser, (req, res) => {
    res.json({ user: sessionUser(req.user!), csrfToken: csrfTokenFor(req) });
  });

  return r;
}
