// /api/canned-replies: agents list them; admins create, edit and delete them.
import { Router } from 'express';
import {
  CreateCannedReplyBodySchema,
  UpdateCannedReplyBodySchema,
  type CannedReply,
} from '../../../shared/src/index.js';
import { CannedReplyModel } from '../models/canned-reply.js';
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
const isDup = (err: unknown) => (err as { code?: number }).code === 11000;

export function cannedReplyRoutes(): Router {
  const r = Router();
  r.get('/', requirePermission('conversations:reply'), async (_req, res) => {
    res.json({ items: (await CannedReplyModel.find().sort({ shortcut: 1 }).lean()).map(view) });
  });
  r.post('/', requirePermission('templates:manage'), async (req, res) => {
    const body = parse(CreateCannedReplyBodySchema, req.body);
    try {
      res.status(201).json(view(await CannedReplyModel.create({ ...body, createdBy: currentUser(req).id })));
    } catch (err) {
      throw isDup(err) ? duplicate(body.shortcut) : err;
    }
  });
  r.patch('/:id', requirePermission('templates:manage'), async (req, res) => {
    const body = parse(UpdateCannedReplyBodySchema, req.body);
    if (!/^[a-f0-9]{24}$/i.test(param(req, 'id'))) throw notFound('Canned reply');
    try {
      const doc = await CannedReplyModel.findByIdAndUpdate(
        param(req, 'id'),
        { $set: body },
        { returnDocument: 'after' },
      ).lean();
      if (!doc) throw notFound('Canned reply');
      res.json(view(doc));
    } catch (err) {
      throw isDup(err) ? duplicate(body.shortcut) : err;
    }
  });
  r.delete('/:id', requirePermission('templates:manage'), async (req, res) => {
    if (!/^[a-f0-9]{24}$/i.test(param(req, 'id'))) throw notFound('Canned reply');
    const out = await CannedReplyModel.deleteOne({ _id: param(req, 'id') });
    if (out.deletedCount === 0) throw notFound('Canned reply');
    res.status(204).end();
  });
  return r;
}
