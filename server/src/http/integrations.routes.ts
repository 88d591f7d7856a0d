// /api/integrations (admin: create → token shown once, list, approve, revoke) and /api/v1/messages (bearer token:
// held while unapproved, otherwise sent through the guard → 202). Thin: guard → validate → IntegrationService.
// Must never return or log a token after creation, and never accept a session for /api/v1.
import { Router, type RequestHandler } from 'express';
import { CreateIntegrationBodySchema, V1MessageBodySchema } from '../../../shared/src/index.js';
import { userActor } from '../policy/audit.js';
import type { IntegrationPrincipal, IntegrationService } from '../protection/integrations.js';
import { HttpError } from './errors.js';
import { currentUser, requirePermission } from './guards.js';
import { param, parse } from './validate.js';

export function integrationRoutes(integrations: IntegrationService): Router {
  const r = Router();
  r.use(requirePermission('integrations:manage'));
  r.get('/', async (_req, res) => {
    res.json({ items: await integrations.list() });
  });
  r.post('/', async (req, res) => {
    const { name } = parse(CreateIntegrationBodySchema, req.body);
    const created = await integrations.create(name, userActor(currentUser(req)));
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json(created);
  });
  r.post('/:id/approve', async (req, res) => {
    const u = currentUser(req);
    res.json(await integrations.approve(param(req, 'id'), { id: u.id, name: u.name }));
  });
  r.post('/:id/revoke', async (req, res) => {
    const u = currentUser(req);
    res.json({ integration: await integrations.revoke(param(req, 'id'), { id: u.id, name: u.name }) });
  });
  return r;
}

/** The bearer-token API for integrations (mounted at /api/v1). */
export function integrationApiRoutes(integrations: IntegrationService): Router {
  const r = Router();
  const bearer: RequestHandler = async (req, res, next) => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    const who = m ? await integrations.authenticate(m[1]) : null;
    if (!who) return next(new HttpError(401, 'invalid_token', 'Missing, unknown or revoked bearer token'));
    res.locals.integration = who;
    next();
  };
  r.post('/messages', bearer, async (req, res) => {
    const body = parse(V1MessageBodySchema, req.body);
    const out = await integrations.send(res.locals.integration as IntegrationPrincipal, body);
    res.status(202).json(out);
  });
  return r;
}
