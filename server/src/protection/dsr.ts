// Data-subject requests: export everything held about a contact (JSON) and erase a contact (message bodies,
// media files, identifiers, profile names, raw webhook payloads that carry their ids) while keeping a suppression
// record (hashes only) so the erased person is recognised and never re-contacted; a new inbound message from
// them starts a clean contact. Both are audited. Must never put a real identifier in an audit entry or a log.
import type { EventBus } from '../events/bus.js';
import { notFound } from '../errors.js';
import { mongoAuditStore } from '../data/audit.js';
import { mongoErasureStore } from '../data/erasure.js';
import { isId } from '../data/ids.js';
import { mongoPrivacyStore } from '../data/privacy.js';
import { mongoSuppressionStore } from '../data/suppression.js';
import { deleteMediaFile } from '../inbox/media.js';
import { toMessageView } from '../inbox/views.js';
import { recordAudit, type AuditInput } from '../policy/audit.js';
import { consentHistory } from '../policy/consent.js';
import { suppressionHash } from '../policy/suppression.js';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

async function loadContact(id: string) {
  if (!isId(id)) throw notFound('Contact');
  const c = await mongoPrivacyStore.contact(id);
  if (!c) throw notFound('Contact');
  return c;
}

/** Everything held about a contact, as one JSON document. */
export async function exportContact(contactId: string, by: AuditInput['actor']): Promise<Record<string, unknown>> {
  const c = await loadContact(contactId);
  const _id = c._id;
  const [{ identities, conversations, messages, leads }, audit, consent] = await Promise.all([
    mongoPrivacyStore.exportRecords(_id),
    mongoAuditStore.aboutContact(contactId),
    consentHistory(contactId),
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
  const _id = c._id;
  const now = new Date();
  const store = mongoErasureStore;
  const identities = await store.identities(_id);
  const ids = [
    ...identities.map((i) => ({ kind: i.kind, value: i.value })),
    ...(c.identities ?? []).map((i) => ({ kind: i.kind, value: i.value })),
  ];

  // 1. Suppression record first: even if a later step fails, the person is never re-contacted.
  const hashes = new Set(ids.map((i) => suppressionHash(i.kind, i.value)));
  if (c.phone) hashes.add(suppressionHash('phone', c.phone));
  for (const hash of hashes) await mongoSuppressionStore.add(hash, _id, now);

  // 2. Media files and message bodies.
  const mediaFiles = await store.mediaFiles(_id);
  for (const fileId of mediaFiles) await deleteMediaFile(fileId).catch(() => {});
  await store.clearMessageBodies(_id);

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
    await store.deleteWebhookPayloadsContaining(n);
  }

  // Attribution's provider identifiers (ctwa_clid, page id + PSID on leads, Conversions API payloads): emptied,
  // and conversion events not sent yet never will be.
  await store.eraseAttributionIdentifiers(String(_id));

  // 4. Identifiers and profile: the identity rows go, so a new message from them resolves to a new, clean contact.
  await store.forgetIdentities(_id, c.erasedAt ?? now);
  const convs = await store.closeConversations(_id, c.handle.toLowerCase());

  await recordAudit({
    actor: by,
    action: 'contact.erased',
    target: { type: 'contact', id: contactId },
    details: { identities: ids.length, conversations: convs.length, mediaFiles: mediaFiles.length },
  });
  if (bus) {
    const { publishConversation } = await import('../inbox/conversations.js');
    for (const id of convs) await publishConversation({ bus }, id).catch(() => {});
  }
}
