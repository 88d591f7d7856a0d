// /api/users (admin): list, create, update, reset a password. Thin: guard → validate → UserService. Must never return a hash.
import { Router } from 'express';
import { CreateUserBodySchema, ResetPasswordBodySchema, UpdateUserBodySchema } from '../../../shared/src/index.js';
import type { UserService } from '../users/service.js';
import { userActor } from '../policy/audit.js';
import { currentUser, requirePermission } from './guards.js';
import { param, parse } from './validate.js';

export function userRoutes(users: UserService): Router {
  const r = Router();
  r.use(requirePermission('users:manage'));
  r.get('/', async (_req, res) => {
    res.json({ items: await users.list() });
  });
  r.post('/', async (req, res) => {
    res.status(201).json(await users.create(parse(CreateUserBodySchema, req.body), userActor(currentUser(req))));
  });
  r.patch('/:id', async (req, res) => {
    res.json(await users.update(param(req, 'id'), parse(UpdateUserBodySchema, req.body), userActor(currentUser(req))));
  });
  r.post('/:id/password', async (req, res) => {
    const { password } = parse(ResetPasswordBodySchema, req.body);
    res.json(await users.resetPassword(param(req, 'id'), password, userActor(currentUser(req))));
  });
  return r;
}
