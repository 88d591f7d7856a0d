// Data-subject requests: export everything held about a contact (JSON) and erase a contact (message bodies,
// media files, identifiers, profile names, raw webhook payloads that carry their ids) while keeping a suppression
// record (hashes only) so the erased person is recognised and never re-contacted; a new inbound message from
// them starts a clean contact. Both are audited. Must never put a real identifier in an audit entry or a log.
import { Types } from 'mongoose';
import type { EventBus } from '../events/bus.js';
import { notFound } from '../errors.js';
import { AuditEntryModel } from '../models/audit-entry.js';
import { eraseAttributionIdentifiers } from '../attribution/erasure.js';
import { LeadModel } from '../models/lead.js';
import { ContactIdentityModel } from '../models/contact-identity.js';
import { ContactModel } from '../models/contact.js';
import { ConversationModel } from '../models/conversation.js';
import { MessageModel } from '../models/message.js';
import { SuppressionModel } from '../models/suppression.js';
import { WebhookEventModel } from '../models/webhook-event.js';
import { deleteMediaFile } from '../inbox/media.js';
import { toMessageView } from '../inbox/views.js';
import { recordAudit, type AuditInput } from '../policy/audit.js';
import { consentHistory } from '../policy/consent.js';
import { suppressionHash } from '../policy/suppression.js';

const isObjectId = (s: string) => /^[a-f0-9]{24}$/i.test(s);
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function loadContact(id: string) {
  if (!isObjectId(id)) throw notFound('Contact');
  const c = await ContactModel.findById(id).lean();
  if (!c) throw notFound('Contact');
  return c;
}

/** Everything held about a contact, as one JSON document. */
export async function exportContact(contactId: string, by: AuditInput['actor']): Promise<Record<string, unknown>> {
  const c = await loadContact(contactId);
  const _id = c._id;
  const [identities, conversations, messages, audit, consent, leads] = await Promise.all([
    ContactIdentityModel.find({ contactId: _id }).lean(),
    ConversationModel.find({ contactId: _id }).sort({ createdAt: 1 }).lean(),
    MessageModel.find({ contactId: _id }).select('+fullText').sort({ createdAt: 1 }).lean(),
    AuditEntryModel.find({ $or: [{ 'target.id': contactId }, { 'details.contactId': contactId }] })
      .sort({ seq: 1 })
      .lean(),
    consentHistory(contactId),
    LeadModel.find({ contactId: _id }).select('+ctwaClid +pageId +psid').lean(),
  ]);
  const doc = {
    exportedAt: new Date().toISOString(),
    contact: {
      id: contactId,
      handle: c.handle,
      displayName: c.displayName ?? null,
      phone: c.phone ?? null,
      createdAt: iso(c.createdAt),
      lastSeenAt: iso(c.lastSeenAt),
      erasedAt: iso(c.erasedAt),
    },
    identities: identities.map((i) => ({ kind: i.kind, value: i.value, since: iso(i.createdAt) })),
    conversations: conversations.map((v) => ({
      id: String(v._id),
      channelId: String(v.channelId),
      status: v.status,
      createdAt: iso(v.createdAt),
      lastMessageAt: iso(v.lastMessageAt),
      lastInboundAt: iso(v.lastInboundAt),
      attribution: v.attribution ?? null,
      lead: v.lead ?? null,
    })),
    messages: messages.map((m) => ({
      ...toMessageView(m),
      // The data subject's own copy: a system line or contact card as received (its view shows numbers masked).
      ...(m.fullText ? { text: m.fullText } : {}),
      providerMessageId: m.providerMessageId ?? null,
      template: m.template ?? null,
      referral: m.referral ?? null,
      replyPayload: m.replyPayload ?? null,
    })),
    media: messages
      .filter((m) => m.media)
      .map((m) => ({
        messageId: String(m._id),
        fileId: m.media?.fileId ? String(m.media.fileId) : null,
        mimeType: m.media?.mimeType ?? null,
        filename: m.media?.filename ?? null,
        size: m.media?.size ?? null,
        state: m.media?.state ?? null,
      })),
    consent,
    attribution: conversations
      .filter((v) => v.attribution)
      .map((v) => ({ conversationId: String(v._id), ...(v.attribution as object) })),
    leads: leads.map((l) => {
      const { _id: id, ...rest } = l as Record<string, unknown>;
      return { id: String(id), ...rest };
    }),
    audit: audit.map((e) => ({
      seq: e.seq,
      at: iso(e.at),
      actor: e.actor,
      action: e.action,
      target: e.target,
      details: e.details,
    })),
  };
  await recordAudit({
    actor: by,
    action: 'contact.exported',
    target: { type: 'contact', id: contactId },
    details: { messages: messages.length },
  });
  return doc;
}

/** Erases a contact's personal content; keeps only hashes for suppression. Idempotent. */
export async function eraseContact(contactId: string, by: AuditInput['actor'], bus?: EventBus): Promise<void> {
  const c = await loadContact(contactId);
  const _id = c._id as Types.ObjectId;
  const now = new Date();
  const identities = await ContactIdentityModel.find({ contactId: _id }).lean();
  const ids = [
    ...identities.map((i) => ({ kind: i.kind, value: i.value })),
    ...(c.identities ?? []).map((i) => ({ kind: i.kind, value: i.value })),
  ];

  // 1. Suppression record first: even if a later step fails, the person is never re-contacted.
  const hashes = new Set(ids.map((i) => suppressionHash(i.kind, i.value)));
  if (c.phone) hashes.add(suppressionHash('phone', c.phone));
  for (const hash of hashes) {
    await SuppressionModel.updateOne(
      { hash },
      { $setOnInsert: { hash, keyed: true, erasedAt: now, contactId: _id } },
      { upsert: true },
    );
  }

  // 2. Media files and message bodies.
  const withMedia = await MessageModel.find({ contactId: _id, 'media.fileId': { $ne: null } })
    .select('media')
    .lean();
  for (const m of withMedia) if (m.media?.fileId) await deleteMediaFile(m.media.fileId).catch(() => {});
  await MessageModel.updateMany(
    { contactId: _id },
    {
      $set: {
        text: null,
        fullText: null,
        media: null,
        referral: null,
        replyPayload: null,
        reactionTo: null,
      },
    },
  );
  // Template variables may carry personal data (names, order numbers); the template name stays.
  await MessageModel.updateMany({ contactId: _id, template: { $type: 'object' } }, { $set: { 'template.params': [] } });

  // 3. Raw webhook payloads that carry any of their identifiers (PSIDs are stored as <pageId>:<psid>).
  const needles = new Set<string>();
  for (const i of ids) {
    needles.add(i.value);
    const tail = i.value.split(':').pop();
    if (tail && tail.length >= 6) needles.add(tail);
  }
  if (c.phone) needles.add(c.phone.replace(/\D/g, ''));
  for (const n of needles) {
    if (n.length < 6) continue;
    await WebhookEventModel.deleteMany({ body: { $regex: escapeRe(n) } });
  }

  // Attribution's provider identifiers (ctwa_clid, page id + PSID on leads, Conversions API payloads): emptied,
  // and conversion events not sent yet never will be.
  await eraseAttributionIdentifiers(String(_id));

  // 4. Identifiers and profile: the identity rows go, so a new message from them resolves to a new, clean contact.
  await ContactIdentityModel.deleteMany({ contactId: _id });
  await ContactModel.updateOne(
    { _id },
    { $set: { phone: null, displayName: null, identities: [], erasedAt: c.erasedAt ?? now } },
  );
  const convs = await ConversationModel.find({ contactId: _id }).select('_id channelId').lean();
  await ConversationModel.updateMany(
    { contactId: _id },
    {
      $set: {
        lastMessagePreview: null,
        searchText: c.handle.toLowerCase(),
        pendingReferral: null,
        status: 'closed',
        'replyTo.value': 'erased',
      },
      $unset: { threadKey: '' },
    },
  );

  await recordAudit({
    actor: by,
    action: 'contact.erased',
    target: { type: 'contact', id: contactId },
    details: { identities: ids.length, conversations: convs.length, mediaFiles: withMedia.length },
  });
  if (bus) {
    const { publishConversation } = await import('../inbox/conversations.js');
    for (const v of convs) await publishConversation({ bus }, v._id).catch(() => {});
  }
}
