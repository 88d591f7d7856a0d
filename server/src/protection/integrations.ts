// Approved senders: integrations hold a bearer token (only its SHA-256 is stored, the token is shown once). An
// unapproved integration's messages are stored `held` (never sent) and wait in the review queue; approving the
// integration releases them through the sender and its guard; revoking stops the token. Every step is audited.
// Must never send except through MessageSender, and never store or log a token.
import { createHash, randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import type { Integration, V1MessageBody } from '../../../shared/src/index.js';
import type { EventBus } from '../events/bus.js';
import { conflict, isDomainError, notFound, refused, unavailable } from '../errors.js';
import { ContactModel } from '../models/contact.js';
import { ConversationModel } from '../models/conversation.js';
import { IntegrationModel, type IntegrationRecord } from '../models/integration.js';
import { MessageModel } from '../models/message.js';
import { ReviewItemModel } from '../models/review-item.js';
import { publishMessageCreated } from '../events/publish.js';
import type { MessageSender } from '../inbox/sender.js';
import { recordAudit, type AuditInput } from '../policy/audit.js';
import type { ReviewService } from './review.js';

const isObjectId = (s: string) => /^[a-f0-9]{24}$/i.test(s);
const TOKEN_PREFIX = 'prly_';
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function toIntegrationView(i: IntegrationRecord & { _id: unknown }): Integration {
  return {
    id: String(i._id),
    name: i.name,
    approved: Boolean(i.approved) && !i.revokedAt,
    revoked: Boolean(i.revokedAt),
    createdAt: iso(i.createdAt) ?? '',
    approvedAt: iso(i.approvedAt),
    lastUsedAt: iso(i.lastUsedAt),
  };
}

export interface IntegrationPrincipal {
  id: string;
  name: string;
  approved: boolean;
}

export class IntegrationService {
  constructor(
    private readonly deps: { bus: EventBus; sender: () => MessageSender | undefined; review: ReviewService },
  ) {}

  async list(): Promise<Integration[]> {
    return (await IntegrationModel.find().sort({ createdAt: 1 }).lean()).map(toIntegrationView);
  }

  async create(
    name: string,
    by: AuditInput['actor'],
  ): Promise<{ id: string; token: string; integration: Integration }> {
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const doc = await IntegrationModel.create({ name, tokenHash: hashToken(token), createdBy: by.id ?? null });
    await recordAudit({
      actor: by,
      action: 'integration.created',
      target: { type: 'integration', id: String(doc._id) },
      details: { name },
    });
    return { id: String(doc._id), token, integration: toIntegrationView(doc) };
  }

  /** Approves and releases every held message of the integration through the guard. */
  async approve(
    id: string,
    by: { id: string; name: string },
  ): Promise<{ integration: Integration; released: number; refused: number }> {
    const i = await this.load(id);
    if (i.revokedAt) throw conflict('integration_revoked', 'This integration was revoked; create a new one.');
    const now = new Date();
    await IntegrationModel.updateOne(
      { _id: i._id },
      { $set: { approved: true, approvedAt: i.approvedAt ?? now, approvedBy: by.id } },
    );
    await recordAudit({
      actor: { type: 'user', id: by.id, name: by.name },
      action: 'integration.approved',
      target: { type: 'integration', id },
      details: { name: i.name },
    });
    let released = 0;
    let refused = 0;
    const held = await ReviewItemModel.find({ 'sender.type': 'integration', 'sender.id': id, state: 'pending' })
      .sort({ createdAt: 1 })
      .lean();
    for (const item of held) {
      try {
        const r = await this.deps.review.release(item.messageId as Types.ObjectId, by);
        if (r.refused) refused++;
        else released++;
      } catch (err) {
        if (!isDomainError(err, 'conflict')) throw err;
      }
    }
    const after = await IntegrationModel.findById(i._id).lean();
    return { integration: toIntegrationView(after!), released, refused };
  }

  async revoke(id: string, by: { id: string; name: string }): Promise<Integration> {
    const i = await this.load(id);
    await IntegrationModel.updateOne(
      { _id: i._id },
      { $set: { revokedAt: i.revokedAt ?? new Date(), approved: false } },
    );
    await recordAudit({
      actor: { type: 'user', id: by.id, name: by.name },
      action: 'integration.revoked',
      target: { type: 'integration', id },
      details: { name: i.name },
    });
    return toIntegrationView((await IntegrationModel.findById(i._id).lean())!);
  }

  /** The integration a bearer token belongs to (not revoked), or null. */
  async authenticate(token: string): Promise<IntegrationPrincipal | null> {
    if (!token || token.length > 200) return null;
    const i = await IntegrationModel.findOne({ tokenHash: hashToken(token), revokedAt: null }).lean();
    if (!i) return null;
    await IntegrationModel.updateOne({ _id: i._id }, { $set: { lastUsedAt: new Date() } });
    return { id: String(i._id), name: i.name, approved: Boolean(i.approved) };
  }

  /** POST /api/v1/messages: held while unapproved, otherwise sent through the guard. */
  async send(
    who: IntegrationPrincipal,
    body: V1MessageBody,
  ): Promise<{ id: string; status: string; conversationId: string }> {
    const conv = await this.resolveConversation(body);
    const request = body.text ? { text: body.text } : { template: body.template! };
    const by = { type: 'integration' as const, id: who.id, name: who.name };
    if (who.approved) {
      const sender = this.deps.sender();
      if (!sender) throw unavailable('Sending is not available in this process.');
      const m = await sender.send(String(conv._id), request, by);
      return { id: m.id, status: m.status, conversationId: String(conv._id) };
    }
    const contact = await ContactModel.findById(conv.contactId).select('erasedAt').lean();
    if (contact?.erasedAt)
      throw refused('contact_erased', 'This contact was erased on request and cannot be messaged.');
    // Held: stored, never queued (no outbox), waiting for an admin to approve the integration.
    const reason = 'Held: this integration is not approved yet. An admin must approve it before its messages are sent.';
    const msg = await MessageModel.create({
      conversationId: conv._id,
      channelId: conv.channelId,
      contactId: conv.contactId,
      direction: 'out',
      kind: body.text ? 'text' : 'template',
      text: body.text ?? `Template “${body.template!.name}” (${body.template!.language})`,
      template: body.template ?? null,
      status: 'held',
      statusAt: new Date(),
      error: { code: 'integration_unapproved', reason },
      outbox: null,
    });
    await ReviewItemModel.create({
      messageId: msg._id,
      conversationId: conv._id,
      contactId: conv.contactId,
      sender: { type: 'integration', id: who.id, name: who.name },
      request,
      reason: { code: 'integration_unapproved', message: reason },
    });
    await recordAudit({
      actor: { type: 'integration', id: who.id, name: who.name },
      action: 'message.held',
      target: { type: 'conversation', id: String(conv._id) },
      details: {
        messageId: String(msg._id),
        kind: msg.kind,
        contactId: String(conv.contactId),
        code: 'integration_unapproved',
      },
    });
    publishMessageCreated(this.deps.bus, msg, { kind: 'integration', id: who.id }, { id: who.id, name: who.name });
    return { id: String(msg._id), status: 'held', conversationId: String(conv._id) };
  }

  private async resolveConversation(body: V1MessageBody) {
    if (body.conversationId) {
      const c = await ConversationModel.findById(body.conversationId).lean();
      if (!c) throw notFound('Conversation');
      return c;
    }
    const c = await ConversationModel.findOne({ contactId: new Types.ObjectId(body.contactId!) })
      .sort({ lastMessageAt: -1, createdAt: -1 })
      .lean();
    if (!c) throw notFound('Conversation for this contact');
    return c;
  }

  private async load(id: string) {
    if (!isObjectId(id)) throw notFound('Integration');
    const i = await IntegrationModel.findById(id).lean();
    if (!i) throw notFound('Integration');
    return i;
  }
}
