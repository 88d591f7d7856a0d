// /api/templates: message templates. Everyone who can reply may list them (the composer's picker); admins
// (templates:manage) create, edit, approve and delete. Changes are audited. Thin: validate → policy/templates.
import { Router } from 'express';
import { z } from 'zod';
import { can } from '../auth/permissions.js';
import { createTemplate, deleteTemplate, listTemplates, updateTemplate } from '../policy/templates.js';
import { currentUser, requirePermission } from './guards.js';
import { param, parse } from './validate.js';

const fields = {
  name: z
    .string()
    .trim()
    .regex(/^[a-z0-9_]{1,100}$/, 'lower-case letters, digits and _ (max 100)'),
  language: z
    .string()
    .trim()
    .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'a language code like es, en or pt_BR'),
  category: z.enum(['marketing', 'utility', 'authentication']),
  body: z.string().trim().min(1, 'must not be empty').max(1024),
  approved: z.boolean(),
};
export const CreateTemplateBodySchema = z.strictObject({ ...fields, approved: fields.approved.default(false) });
export const UpdateTemplateBodySchema = z
  .strictObject(fields)
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'at least one field to change is required' });

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
