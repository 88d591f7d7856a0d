// /api/canned-replies: agents list them; admins create, edit and delete them.
import { Router } from 'express';
import {
  CreateCannedReplyBodySchema,
  UpdateCannedReplyBodySchema,
  type CannedReply,
} from '../../../shared/src/index.js';
import { mongoCannedReplies as cannedReplies } from '../data/canned-replies.js';
import { isDuplicateKey as isDup } from '../data/errors.js';
import { isId } from '../data/ids.js';
import { conflict, notFound } from './errors.js';
import { currentUser, requirePermission } from './guards.js';
import { param, parse } from './validate.js';

const view = (c: { _id: unknown; shortcut: string; title: string; text: string }): CannedReply => ({
  id: String(c._id),
  shortcut: c.shortcut,
  title: c.title,
  text: c.text,
});
const duplicate = (shortcut?: string) =>
  conflict('shortcut_taken', `A canned reply with shortcut /${shortcut} already exists`);

export function cannedReplyRoutes(): Router {
  const r = Router();
  r.get('/', requirePermission('conversations:reply'), async (_req, res) => {
    res.json({ items: (await cannedReplies.list()).map(view) });
  });
  r.post('/', requirePermission('templates:manage'), async (req, res) => {
    const body = parse(CreateCannedReplyBodySchema, req.body);
    try {
      res.status(201).json(view(await cannedReplies.create({ ...body, createdBy: currentUser(req).id })));
    } catch (err) {
      throw isDup(err) ? duplicate(body.shortcut) : err;
    }
  });
  r.patch('/:id', requirePermission('templates:manage'), async (req, res) => {
    const body = parse(UpdateCannedReplyBodySchema, req.body);
    if (!isId(param(req, 'id'))) throw notFound('Canned reply');
    try {
      const doc = await cannedReplies.update(param(req, 'id'), body);
      if (!doc) throw notFound('Canned reply');
      res.json(view(doc));
    } catch (err) {
      throw isDup(err) ? duplicate(body.shortcut) : err;
    }
  });
  r.delete('/:id', requirePermission('templates:manage'), async (req, res) => {
    if (!isId(param(req, 'id'))) throw notFound('Canned reply');
    if (!(await cannedReplies.remove(param(req, 'id')))) throw notFound('Canned reply');
    res.status(204).end();
  });
  return r;
}
