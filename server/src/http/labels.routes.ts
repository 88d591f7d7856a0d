// /api/labels: everyone who reads conversations lists the labels; labels:manage (admins, supervisors) creates,
// renames, recolours and deletes them. Thin: guard → validate → LabelService.
import { Router } from 'express';
import { CreateLabelBodySchema, UpdateLabelBodySchema } from '../../../shared/src/index.js';
import type { LabelService } from '../inbox/labels.js';
import { currentUser, requirePermission } from './guards.js';
import { param, parse } from './validate.js';

export function labelRoutes(labels: LabelService): Router {
  const r = Router();
  r.get('/', requirePermission('conversations:read'), async (_req, res) => {
    res.json({ items: await labels.list() });
  });
  r.post('/', requirePermission('labels:manage'), async (req, res) => {
    res.status(201).json(await labels.create(parse(CreateLabelBodySchema, req.body), currentUser(req).id));
  });
  r.patch('/:id', requirePermission('labels:manage'), async (req, res) => {
    res.json(await labels.update(param(req, 'id'), parse(UpdateLabelBodySchema, req.body)));
  });
  r.delete('/:id', requirePermission('labels:manage'), async (req, res) => {
    await labels.remove(param(req, 'id'));
    res.status(204).end();
  });
  return r;
}
