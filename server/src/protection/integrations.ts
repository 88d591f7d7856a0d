// Approved senders: integrations hold a bearer token (only its SHA-256 is stored, the token is shown once). An
// unapproved integration's messages are stored `held` (never sent) and wait in the review queue; approving the
// integration releases them through the sender and its guard; revoking stops the token. Every step is audited.
// Must never send except through MessageSender, and never store or log a token.
import { createHash, randomBytes } from 'node:crypto';
import type { Integration, V1MessageBody } from '../../../shared/src/index.js';
import type { EventBus } from '../events/bus.js';
import { conflict, isDomainError, notFound, refused, unavailable } from '../errors.js';
import { isId } from '../data/ids.js';
import type { IntegrationLean, IntegrationStore } from '../data/integrations.js';
import type { ReviewStore } from '../data/review.js';
import { publishMessageCreated } from '../events/publish.js';
import type { MessageSender } from '../inbox/sender.js';
import { auditTrail, type AuditInput, type AuditTrail } from '../policy/audit.js';
import type { ReviewService } from './review.js';

const TOKEN_PREFIX = 'prly_';
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function toIntegrationView(i: IntegrationLean): Integration {
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

export interface IntegrationDeps {
  bus: EventBus;
  sender: () => MessageSender | undefined;
  review: ReviewService;
  stores: { integrations: IntegrationStore; review: ReviewStore };
  /** The audit trail (the process's trail unless given). */
  audit?: AuditTrail;
}

export class IntegrationService {
  private readonly store: IntegrationStore;
  private readonly audit: AuditTrail;

  constructor(private readonly deps: IntegrationDeps) {
    this.store = deps.stores.integrations;
    this.audit = deps.audit ?? auditTrail;
  }

  async list(): Promise<Integration[]> {
    return (await this.store.list()).map(toIntegrationView);
  }

  async create(
    name: string,
    by: AuditInput['actor'],
  ): Promise<{ id: string; token: string; integration: Integration }> {
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const doc = await this.store.create({ name, tokenHash: hashToken(token), createdBy: by.id ?? null });
    await this.audit.record({
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
    await this.store.approve(i._id, i.approvedAt ?? now, by.id);
    await this.audit.record({
      actor: { type: 'user', id: by.id, name: by.name },
      action: 'integration.approved',
      target: { type: 'integration', id },
      details: { name: i.name },
    });
    let released = 0;
    let refused = 0;
    const held = await this.deps.stores.review.pendingOfIntegration(id);
    for (const item of held) {
      try {
        const r = await this.deps.review.release(item.messageId, by);
        if (r.refused) refused++;
        else released++;
      } catch (err) {
        if (!isDomainError(err, 'conflict')) throw err;
      }
    }
    const after = await this.store.byId(i._id);
    return { integration: toIntegrationView(after!), released, refused };
  }

  async revoke(id: string, by: { id: string; name: string }): Promise<Integration> {
    const i = await this.load(id);
    await this.store.revoke(i._id, i.revokedAt ?? new Date());
    await this.audit.record({
      actor: { type: 'user', id: by.id, name: by.name },
      action: 'integration.revoked',
      target: { type: 'integration', id },
      details: { name: i.name },
    });
    return toIntegrationView((await this.store.byId(i._id))!);
  }

  /** The integration a bearer token belongs to (not revoked), or null. */
  async authenticate(token: string): Promise<IntegrationPrincipal | null> {
    if (!token || token.length > 200) return null;
    const i = await this.store.byTokenHash(hashToken(token));
    if (!i) return null;
    await this.store.touch(i._id, new Date());
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
    if (await this.store.contactErasedAt(conv.contactId))
      throw refused('contact_erased', 'This contact was erased on request and cannot be messaged.');
    // Held: stored, never queued (no outbox), waiting for an admin to approve the integration.
    const reason = 'Held: this integration is not approved yet. An admin must approve it before its messages are sent.';
    const msg = await this.deps.stores.review.hold({
      message: {
        conversationId: conv._id,
        channelId: conv.channelId,
        contactId: conv.contactId,
        kind: body.text ? 'text' : 'template',
        text: body.text ?? `Template “${body.template!.name}” (${body.template!.language})`,
        template: body.template ?? null,
        error: { code: 'integration_unapproved', reason },
      },
      item: {
        sender: { type: 'integration', id: who.id, name: who.name },
        request,
        reason: { code: 'integration_unapproved', message: reason },
      },
    });
    await this.audit.record({
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
      const c = await this.store.conversation(body.conversationId);
      if (!c) throw notFound('Conversation');
      return c;
    }
    const c = await this.store.latestConversationOf(body.contactId!);
    if (!c) throw notFound('Conversation for this contact');
    return c;
  }

  private async load(id: string) {
    if (!isId(id)) throw notFound('Integration');
    const i = await this.store.byId(id);
    if (!i) throw notFound('Integration');
    return i;
  }
}
