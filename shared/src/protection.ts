// Request/response schemas of the supervision, integrations and privacy API (docs/API.md "Supervision",
// "Integrations", "Contacts, consent, privacy": audit search/verify, review queue, reveal, integrations).
// Must never import server or client code.
import { z } from 'zod';
import { TemplateRefSchema } from './conversations-api.js';

const objectId = z.string().regex(/^[a-f0-9]{24}$/i, 'must be an id');

export const AuditEntrySchema = z.object({
  id: z.string(),
  seq: z.number(),
  at: z.string(),
  actor: z.object({ type: z.string(), id: z.string().nullable(), name: z.string().nullable() }),
  action: z.string(),
  target: z.object({ type: z.string().nullable(), id: z.string().nullable() }),
  details: z.record(z.string(), z.unknown()),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditQuerySchema = z.strictObject({
  actor: z.string().trim().max(200).optional(),
  action: z.string().trim().max(100).optional(),
  target: z.string().trim().max(100).optional(),
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  cursor: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditQuery = z.infer<typeof AuditQuerySchema>;
export interface AuditListResponse {
  items: AuditEntry[];
  nextCursor: string | null;
}
export interface AuditVerifyResponse {
  ok: boolean;
  entries: number;
  firstBadEntry?: { seq: number | null; id: string; reason: string };
}

export const RevealBodySchema = z.strictObject({
  reason: z.string().trim().min(5, 'must say why (at least 5 characters)').max(500),
  /** Also reveal the full text of one of the contact's messages (a system line or contact card shown masked). */
  messageId: objectId.optional(),
});
export interface RevealResponse {
  phone: string | null;
  identities: Array<{ kind: string; value: string }>;
  /** Present when `messageId` was asked for: the message's text as received, numbers unmasked. */
  message?: { id: string; text: string | null };
}

export const CreateIntegrationBodySchema = z.strictObject({ name: z.string().trim().min(1).max(80) });
export interface Integration {
  id: string;
  name: string;
  approved: boolean;
  revoked: boolean;
  createdAt: string;
  approvedAt: string | null;
  lastUsedAt: string | null;
}

export const V1MessageBodySchema = z
  .strictObject({
    conversationId: objectId.optional(),
    contactId: objectId.optional(),
    text: z.string().trim().min(1, 'must not be empty').max(4096).optional(),
    template: TemplateRefSchema.optional(),
  })
  .refine((b) => Boolean(b.conversationId) !== Boolean(b.contactId), {
    message: 'give exactly one of conversationId or contactId',
    path: ['conversationId'],
  })
  .refine((b) => Boolean(b.text) !== Boolean(b.template), {
    message: 'give exactly one of text or template',
    path: ['text'],
  });
export type V1MessageBody = z.infer<typeof V1MessageBodySchema>;

export const ReviewDecisionBodySchema = z.strictObject({ note: z.string().trim().max(500).optional() });

export interface ReviewItem {
  id: string;
  type: 'held_message' | 'abuse_report';
  createdAt: string;
  conversationId: string | null;
  contact: { id: string; handle: string } | null;
  /** Held message text (what the sender wanted to send) or the report's text. */
  text: string | null;
  /** Who wanted to send (held messages) — a user or an integration. */
  sender: { type: string; id: string | null; name: string | null } | null;
  /** Why it is held (guard code/reason). */
  reason: string | null;
  status: string;
}
