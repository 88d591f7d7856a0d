// /api/contacts/:id/consent: a contact's consent ledger (current state + events) and agent-recorded consent
// changes (with a note). Visible to users who may see one of the contact's conversations. Thin: validate →
// policy/consent. Must never return a phone number or provider id.
import { Router } from 'express';
import { RecordConsentBodySchema } from '../../../shared/src/index.js';
import { consentHistory, consentState, recordConsent } from '../policy/consent.js';
import { conversationsOfContact, visibleContact } from '../protection/contacts.js';
import type { EventBus } from '../events/bus.js';
import { contactFact, conversationFact, publishConversationUpdated } from '../events/publish.js';
import { refused } from './errors.js';
import { currentUser, requirePermission } from './guards.js';
import { param, parse } from './validate.js';

export function contactConsentRoutes(deps: { bus?: EventBus } = {}): Router {
  const r = Router();
  // Per route (not r.use): other routers share /api/contacts and must not inherit this guard.
  const canRead = requirePermission('conversations:read');
  r.get('/:id/consent', canRead, async (req, res) => {
    const { contact } = await visibleContact(currentUser(req), param(req, 'id'));
    const id = String(contact._id);
    res.json({ state: await consentState(id), events: await consentHistory(id) });
  });
  r.post('/:id/consent', canRead, async (req, res) => {
    const body = parse(RecordConsentBodySchema, req.body);
    const user = currentUser(req);
    const { contact, channelId } = await visibleContact(user, param(req, 'id'), {
      forWrite: 'You may not record consent for this contact.',
    });
    if (contact.erasedAt)
      throw refused('contact_erased', 'This contact was erased on request; consent cannot be changed.');
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
      for (const conv of await conversationsOfContact(contact))
        publishConversationUpdated(
          deps.bus,
          { conversation: conversationFact(conv), contact: contactFact(contact) },
          actor,
        );
    }
    res.status(201).json({ state: await consentState(id), events: await consentHistory(id) });
  });
  return r;
}
