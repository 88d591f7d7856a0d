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
export const AuditListResponseSchema = z.object({
  items: z.array(AuditEntrySchema),
  nextCursor: z.string().nullable(),
});
export type AuditListResponse = z.infer<typeof AuditListResponseSchema>;
export const AuditVerifyResponseSchema = z.object({
  ok: z.boolean(),
  entries: z.number(),
  firstBadEntry: z.object({ seq: z.number().nullable(), id: z.string(), reason: z.string() }).optional(),
});
export type AuditVerifyResponse = z.infer<typeof AuditVerifyResponseSchema>;

export const RevealBodySchema = z.strictObject({
  reason: z.string().trim().min(5, 'must say why (at least 5 characters)').max(500),
  /** Also reveal the full text of one of the contact's messages (a system line or contact card shown masked). */
  messageId: objectId.optional(),
});
export const RevealResponseSchema = z.object({
  phone: z.string().nullable(),
  identities: z.array(z.object({ kind: z.string(), value: z.string() })),
  /** Present when `messageId` was asked for: the message's text as received, numbers unmasked. */
  message: z.object({ id: z.string(), text: z.string().nullable() }).optional(),
});
export type RevealResponse = z.infer<typeof RevealResponseSchema>;

export const CreateIntegrationBodySchema = z.strictObject({ name: z.string().trim().min(1).max(80) });
export const IntegrationSchema = z.object({
  id: z.string(),
  name: z.string(),
  approved: z.boolean(),
  revoked: z.boolean(),
  createdAt: z.string(),
  approvedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});
export type Integration = z.infer<typeof IntegrationSchema>;
export const IntegrationListResponseSchema = z.object({ items: z.array(IntegrationSchema) });
/** The bearer token is in this answer only. */
export const CreateIntegrationResponseSchema = z.object({
  id: z.string(),
  token: z.string(),
  integration: IntegrationSchema,
});
/** Approving releases the integration's held messages through the guard: how many were sent, how many refused. */
export const ApproveIntegrationResponseSchema = z.object({
  integration: IntegrationSchema,
  released: z.number(),
  refused: z.number(),
});
export const RevokeIntegrationResponseSchema = z.object({ integration: IntegrationSchema });

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

export const ReviewItemSchema = z.object({
  id: z.string(),
  type: z.enum(['held_message', 'abuse_report']),
  createdAt: z.string(),
  conversationId: z.string().nullable(),
  contact: z.object({ id: z.string(), handle: z.string() }).nullable(),
  /** Held message text (what the sender wanted to send) or the report's text. */
  text: z.string().nullable(),
  /** Who wanted to send (held messages) — a user or an integration. */
  sender: z.object({ type: z.string(), id: z.string().nullable(), name: z.string().nullable() }).nullable(),
  /** Why it is held (guard code/reason). */
  reason: z.string().nullable(),
  status: z.string(),
});
export type ReviewItem = z.infer<typeof ReviewItemSchema>;
export const ReviewListResponseSchema = z.object({ items: z.array(ReviewItemSchema) });
/** A decision on a review item; `refused`: approving sent it through the guard, which refused it. */
export const ReviewDecisionResponseSchema = z.object({
  item: ReviewItemSchema,
  refused: z.object({ code: z.string(), message: z.string() }).optional(),
});
