// /api/contacts/:id — the masked contact view, reveal with a reason (contacts:reveal, audited; with a messageId
// also the unmasked text of one of the contact's messages, e.g. a changed-number notice or a contact card),
// data-subject export (contacts:export, audited) and erasure (contacts:erase → 204, audited). Thin: guard →
// validate → compliance services. Must never return a real number or provider id except from reveal and export.
import { Router, type Request } from 'express';
import { RevealBodySchema, type RevealResponse } from '../../../shared/src/index.js';
import { userActor, recordAudit } from '../policy/audit.js';
import { consentState } from '../policy/consent.js';
import { eraseContact, exportContact } from '../protection/dsr.js';
import type { EventBus } from '../events/bus.js';
import { visibleConversationsFilter } from '../inbox/access.js';
import { toContactSummary } from '../inbox/views.js';
import { ContactIdentityModel } from '../models/contact-identity.js';
import { ContactModel } from '../models/contact.js';
import { ConversationModel } from '../models/conversation.js';
import { MessageModel } from '../models/message.js';
import { notFound } from './errors.js';
import { currentUser, requirePermission, requireUser } from './guards.js';
import { param, parse } from './validate.js';

const isObjectId = (s: string) => /^[a-f0-9]{24}$/i.test(s);

/** The contact, if the user may see at least one of its conversations (404 otherwise, like conversations). */
async function loadVisibleContact(req: Request) {
  const user = currentUser(req);
  const id = param(req, 'id');
  if (!isObjectId(id)) throw notFound('Contact');
  const contact = await ContactModel.findById(id).lean();
  if (!contact) throw notFound('Contact');
  const visible = await ConversationModel.exists({
    $and: [{ contactId: contact._id }, visibleConversationsFilter(user)],
  });
  if (!visible) throw notFound('Contact');
  return contact;
}

export function contactRoutes(deps: { bus: EventBus }): Router {
  const r = Router();

  r.get('/:id', requireUser, async (req, res) => {
    const c = await loadVisibleContact(req);
    res.json(toContactSummary(c, await consentState(String(c._id))));
  });

  r.post('/:id/reveal', requirePermission('contacts:reveal'), async (req, res) => {
    const { reason, messageId } = parse(RevealBodySchema, req.body);
    const c = await loadVisibleContact(req);
    // A message only of this contact, in a conversation this user may see (404 like any other unseen record).
    const msg = messageId
      ? await MessageModel.findOne({ _id: messageId, contactId: c._id }).select('+fullText text conversationId').lean()
      : null;
    if (messageId) {
      const visible =
        msg &&
        (await ConversationModel.exists({
          $and: [{ _id: msg.conversationId }, visibleConversationsFilter(currentUser(req))],
        }));
      if (!visible) throw notFound('Message');
    }
    const identities = await ContactIdentityModel.find({ contactId: c._id }).select('kind value').lean();
    // Audit first: nothing is revealed unless the reveal is on the trail (the reason, never the number).
    await recordAudit({
      actor: userActor(currentUser(req)),
      action: 'contact.revealed',
      target: { type: 'contact', id: String(c._id) },
      details: { reason, contactId: String(c._id), ...(msg ? { messageId: String(msg._id) } : {}) },
    });
    const body: RevealResponse = {
      phone: c.phone ?? null,
      identities: identities.map((i) => ({ kind: i.kind, value: i.value })),
      ...(msg ? { message: { id: String(msg._id), text: msg.fullText ?? msg.text ?? null } } : {}),
    };
    res.setHeader('Cache-Control', 'no-store');
    res.json(body);
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
