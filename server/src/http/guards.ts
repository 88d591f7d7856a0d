// Route guards: require a logged-in user, and require a permission through auth/permissions. Must never check
// role strings directly.
import type { Request, RequestHandler } from 'express';
import type { Action } from '../../../shared/src/index.js';
import { can } from '../auth/permissions.js';
import type { AuthUser } from '../auth/passport.js';
import { forbidden, unauthorized } from './errors.js';

export const requireUser: RequestHandler = (req, _res, next) => {
  next(req.user ? undefined : unauthorized());
};

export function requirePermission(action: Action): RequestHandler {
  return (req, _res, next) => {
    if (!req.user) return next(unauthorized());
    next(can(req.user, action) ? undefined : forbidden());
  };
}

/** The logged-in user of a guarded route. */
export function currentUser(req: Request): AuthUser {
  if (!req.user) throw unauthorized();
  return req.user;
}
