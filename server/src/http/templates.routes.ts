// /api/templates: message templates. Everyone who can reply may list them (the composer's picker); admins
// (templates:manage) create, edit, approve and delete. Changes are audited. Thin: validate → policy/templates.
import { Router } from 'express';
import { CreateTemplateBodySchema, UpdateTemplateBodySchema } from '../../../shared/src/index.js';
import { can } from '../auth/permissions.js';
import { createTemplate, deleteTemplate, listTemplates, updateTemplate } from '../policy/templates.js';
import { currentUser, requirePermission } from './guards.js';
import { param, parse } from './validate.js';

const actorOf = (u: { id: string; name: string }) => ({ type: 'user' as const, id: u.id, name: u.name });

export function templateRoutes(): Router {
  const r = Router();
  r.get('/', requirePermission('conversations:read'), async (req, res) => {
    res.json({ items: await listTemplates({ all: can(currentUser(req), 'templates:manage') }) });
  });
  r.use(requirePermission('templates:manage'));
  r.post('/', async (req, res) => {
    const body = parse(CreateTemplateBodySchema, req.body);
    res.status(201).json(await createTemplate(body, actorOf(currentUser(req))));
  });
  r.patch('/:id', async (req, res) => {
    const id = param(req, 'id');
    const body = parse(UpdateTemplateBodySchema, req.body);
    res.json(await updateTemplate(id, body, actorOf(currentUser(req))));
  });
  r.delete('/:id', async (req, res) => {
    await deleteTemplate(param(req, 'id'), actorOf(currentUser(req)));
    res.status(204).end();
  });
  return r;
}
