// /api/contacts/:id/consent: a contact's consent ledger (current state + events) and agent-recorded consent
// changes (with a note). Visible to users who may see one of the contact's conversations. Thin: validate →
// policy/consent. Must never return a phone number or provider id.
import { Router, type Request } from 'express';
import { Types } from 'mongoose';
import { z } from 'zod';
import { can } from '../auth/permissions.js';
import { consentHistory, consentState, recordConsent } from '../policy/consent.js';
import { visibleConversationsFilter } from '../inbox/access.js';
import type { EventBus } from '../events/bus.js';
import { contactFact, publishConversationUpdated } from '../events/publish.js';
import { conversationsOfContact } from '../data/views.js';
import { ContactModel } from '../models/contact.js';
import { ConversationModel } from '../models/conversation.js';
import { HttpError, notFound } from './errors.js';
import { currentUser, requirePermission } from './guards.js';
import { param, parse } from './validate.js';

export const RecordConsentBodySchema = z.strictObject({
  purpose: z.enum(['marketing', 'ad_measurement']),
  action: z.enum(['granted', 'withdrawn']),
  note: z.string().trim().min(3, 'say how the customer expressed it (at least 3 characters)').max(500),
});

/** The contact, if the user may see at least one of its conversations (404 otherwise). */
async function loadVisibleContact(req: Request, forWrite = false) {
  const user = currentUser(req);
  const id = param(req, 'id');
  if (!Types.ObjectId.isValid(id) || !/^[a-f0-9]{24}$/i.test(id)) throw notFound('Contact');
  const contact = await ContactModel.findById(id).lean();
  if (!contact) throw notFound('Contact');
  const conv = await ConversationModel.findOne({ $and: [{ contactId: contact._id }, visibleConversationsFilter(user)] })
    .select('channelId')
    .lean();
  if (!conv) throw notFound('Contact');
  if (forWrite && !can(user, 'conversations:reply', { channelId: String(conv.channelId) })) {
    throw new HttpError(403, 'forbidden', 'You may not record consent for this contact.');
  }
  return { user, contact, channelId: String(conv.channelId) };
}

export function contactConsentRoutes(deps: { bus?: EventBus } = {}): Router {
  const r = Router();
  // Per route (not r.use): other routers share /api/contacts and must not inherit this guard.
  const canRead = requirePermission('conversations:read');
  r.get('/:id/consent', canRead, async (req, res) => {
    const { contact } = await loadVisibleContact(req);
    const id = String(contact._id);
    res.json({ state: await consentState(id), events: await consentHistory(id) });
  });
  r.post('/:id/consent', canRead, async (req, res) => {
    const body = parse(RecordConsentBodySchema, req.body);
    const { user, contact, channelId } = await loadVisibleContact(req, true);
    if (contact.erasedAt)
      throw new HttpError(422, 'contact_erased', 'This contact was erased on request; consent cannot be changed.');
    const id = String(contact._id);
    await recordConsent({
      contactId: id,
      purpose: body.purpose,
      action: body.action,
      channelId,
      method: 'agent',
      note: body.note,
      actor: { type: 'user', id: user.id, name: user.name },
    });
    // Live badges: every open view of this contact's conversations gets the new state.
    if (deps.bus) {
      const actor = { kind: 'user', id: user.id } as const;
      for (const conversation of await conversationsOfContact(id))
        publishConversationUpdated(deps.bus, { conversation, contact: contactFact(contact) }, actor);
    }
    res.status(201).json({ state: await consentState(id), events: await consentHistory(id) });
  });
  return r;
}
