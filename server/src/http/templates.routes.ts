// /api/templates: message templates. Everyone who can reply may list them (the composer's picker); admins
// (templates:manage) create, edit, approve and delete. Changes are audited. Thin: validate → model → view.
import { Router } from 'express';
import { Types } from 'mongoose';
import { CreateTemplateBodySchema, UpdateTemplateBodySchema } from '../../../shared/src/index.js';
import { can } from '../auth/permissions.js';
import { recordAudit } from '../policy/audit.js';
import { toTemplateView } from '../policy/templates.js';
import { MessageTemplateModel } from '../models/message-template.js';
import { conflict, notFound } from './errors.js';
import { currentUser, requirePermission } from './guards.js';
import { param, parse } from './validate.js';

const isId = (s: string) => /^[a-f0-9]{24}$/i.test(s);

export function templateRoutes(): Router {
  const r = Router();
  r.get('/', requirePermission('conversations:read'), async (req, res) => {
    const user = currentUser(req);
    const filter = can(user, 'templates:manage') ? {} : { approved: true };
    const rows = await MessageTemplateModel.find(filter).sort({ name: 1, language: 1 }).lean();
    res.json({ items: rows.map(toTemplateView) });
  });
  r.use(requirePermission('templates:manage'));
  r.post('/', async (req, res) => {
    const user = currentUser(req);
    const body = parse(CreateTemplateBodySchema, req.body);
    if (await MessageTemplateModel.exists({ name: body.name, language: body.language })) {
      throw conflict('template_exists', `A template “${body.name}” in ${body.language} already exists.`);
    }
    const t = await MessageTemplateModel.create({ ...body, createdBy: new Types.ObjectId(user.id) });
    await recordAudit({
      actor: { type: 'user', id: user.id, name: user.name },
      action: 'template.created',
      target: { type: 'template', id: String(t._id) },
      details: { name: t.name, language: t.language, category: t.category, approved: t.approved },
    });
    res.status(201).json(toTemplateView(t.toObject()));
  });
  r.patch('/:id', async (req, res) => {
    const user = currentUser(req);
    const id = param(req, 'id');
    const body = parse(UpdateTemplateBodySchema, req.body);
    if (!isId(id)) throw notFound('Template');
    const t = await MessageTemplateModel.findById(id);
    if (!t) throw notFound('Template');
    const next = { name: body.name ?? t.name, language: body.language ?? t.language };
    if ((body.name || body.language) && (await MessageTemplateModel.exists({ ...next, _id: { $ne: t._id } }))) {
      throw conflict('template_exists', `A template “${next.name}” in ${next.language} already exists.`);
    }
    // Editing the text of an approved template needs a new approval unless approval is set in the same change.
    const bodyChanged = body.body !== undefined && body.body !== t.body;
    t.set(body);
    if (bodyChanged && body.approved === undefined) t.approved = false;
    await t.save();
    await recordAudit({
      actor: { type: 'user', id: user.id, name: user.name },
      action: 'template.updated',
      target: { type: 'template', id: String(t._id) },
      details: { fields: Object.keys(body), approved: t.approved },
    });
    res.json(toTemplateView(t.toObject()));
  });
  r.delete('/:id', async (req, res) => {
    const user = currentUser(req);
    const id = param(req, 'id');
    if (!isId(id)) throw notFound('Template');
    const t = await MessageTemplateModel.findByIdAndDelete(id).lean();
    if (!t) throw notFound('Template');
    await recordAudit({
      actor: { type: 'user', id: user.id, name: user.name },
      action: 'template.deleted',
      target: { type: 'template', id },
      details: { name: t.name, language: t.language },
    });
    res.status(204).end();
  });
  return r;
}
