// /api/contacts/:id — the masked contact view, reveal with a reason (contacts:reveal, audited; with a messageId
// also the unmasked text of one of the contact's messages, e.g. a changed-number notice or a contact card),
// data-subject export (contacts:export, audited) and erasure (contacts:erase → 204, audited). Thin: guard →
// validate → protection services. Must never return a real number or provider id except from reveal and export.
import { Router } from 'express';
import { RevealBodySchema } from '../../../shared/src/index.js';
import { userActor } from '../policy/audit.js';
import { contactSummary, revealContact } from '../protection/contacts.js';
import { eraseContact, exportContact } from '../protection/dsr.js';
import type { EventBus } from '../events/bus.js';
import { currentUser, requirePermission, requireUser } from './guards.js';
import { param, parse } from './validate.js';

export function contactRoutes(deps: { bus: EventBus }): Router {
  const r = Router();

  r.get('/:id', requireUser, async (req, res) => {
    res.json(await contactSummary(currentUser(req), param(req, 'id')));
  });

  r.post('/:id/reveal', requirePermission('contacts:reveal'), async (req, res) => {
    const body = parse(RevealBodySchema, req.body);
    const revealed = await revealContact(currentUser(req), param(req, 'id'), body);
    res.setHeader('Cache-Control', 'no-store');
    res.json(revealed);
  });

  r.get('/:id/export', requirePermission('contacts:export'), async (req, res) => {
    const id = param(req, 'id');
    const doc = await exportContact(id, userActor(currentUser(req)));
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Disposition', `attachment; filename="contact-${id}.json"`);
    res.json(doc);
  });

  r.delete('/:id', requirePermission('contacts:erase'), async (req, res) => {
    await eraseContact(param(req, 'id'), userActor(currentUser(req)), deps.bus);
    res.status(204).end();
  });

  return r;
}
