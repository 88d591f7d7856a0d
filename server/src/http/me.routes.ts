// /api/users/me (any signed-in user): the user's own console settings. Thin: validate → UserSettingsService with
// the session's user id. Mounted before /api/users so it is not behind users:manage. Must never take a user id
// from the request (nobody changes another user's settings here).
import { Router } from 'express';
import { UpdateMySettingsBodySchema } from '../../../shared/src/index.js';
import { UserSettingsService } from '../users/settings.js';
import { currentUser, requireUser } from './guards.js';
import { parse } from './validate.js';

export function meRoutes(settings = new UserSettingsService()): Router {
  const r = Router();
  r.use(requireUser);
  r.get('/', async (req, res) => {
    res.json(await settings.get(currentUser(req).id));
  });
  r.patch('/', async (req, res) => {
    res.json(await settings.update(currentUser(req).id, parse(UpdateMySettingsBodySchema, req.body)));
  });
  return r;
}
