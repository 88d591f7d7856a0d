// Typed REST calls of supervision and privacy: audit search + chain verification, the review queue, integrations
// (approved senders), reveal with a reason, data-subject export and erasure. Must never keep a revealed number or
// an export beyond the calling component's state, and never store a token.
import { z } from 'zod';
import { AuditEntrySchema, MeResponseSchema, type AuditEntry } from '../../../shared/src/index.js';
import { request } from './client.js';

export type { AuditEntry };
const AuditListSchema = z.object({ items: z.array(AuditEntrySchema), nextCursor: z.string().nullable() });
const VerifySchema = z.object({
  ok: z.boolean(),
  entries: z.number(),
  firstBadEntry: z.object({ seq: z.number().nullable(), id: z.string(), reason: z.string() }).optional(),
});
export type VerifyResult = z.infer<typeof VerifySchema>;

export const ReviewItemSchema = z.object({
  id: z.string(),
  type: z.enum(['held_message', 'abuse_report']),
  createdAt: z.string(),
  conversationId: z.string().nullable(),
  contact: z.object({ id: z.string(), handle: z.string() }).nullable(),
  text: z.string().nullable(),
  sender: z.object({ type: z.string(), id: z.string().nullable(), name: z.string().nullable() }).nullable(),
  reason: z.string().nullable(),
  status: z.string(),
});
export type ReviewItem = z.infer<typeof ReviewItemSchema>;
const DecisionSchema = z.object({
  item: ReviewItemSchema,
  refused: z.object({ code: z.string(), message: z.string() }).optional(),
});

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

const RevealSchema = z.object({
  phone: z.string().nullable(),
  identities: z.array(z.object({ kind: z.string(), value: z.string() })),
});
export type Revealed = z.infer<typeof RevealSchema>;

export interface AuditFilters {
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
  cursor?: string;
}

const enc = encodeURIComponent;

export const protectionApi = {
  me: () => request('GET', '/api/auth/me', undefined, MeResponseSchema, { quiet: true }),
  audit(f: AuditFilters) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(f)) if (v) q.set(k, v);
    return request('GET', `/api/audit?${q.toString()}`, undefined, AuditListSchema);
  },
  verify: () => request('GET', '/api/audit/verify', undefined, VerifySchema),
  review: () => request('GET', '/api/review', undefined, z.object({ items: z.array(ReviewItemSchema) })),
  approve: (id: string, note?: string) =>
    request('POST', `/api/review/${enc(id)}/approve`, note ? { note } : {}, DecisionSchema),
  reject: (id: string, note?: string) =>
    request('POST', `/api/review/${enc(id)}/reject`, note ? { note } : {}, DecisionSchema),
  integrations: () => request('GET', '/api/integrations', undefined, z.object({ items: z.array(IntegrationSchema) })),
  createIntegration: (name: string) =>
    request(
      'POST',
      '/api/integrations',
      { name },
      z.object({ id: z.string(), token: z.string(), integration: IntegrationSchema }),
    ),
  approveIntegration: (id: string) =>
    request(
      'POST',
      `/api/integrations/${enc(id)}/approve`,
      {},
      z.object({ integration: IntegrationSchema, released: z.number(), refused: z.number() }),
    ),
  revokeIntegration: (id: string) =>
    request('POST', `/api/integrations/${enc(id)}/revoke`, {}, z.object({ integration: IntegrationSchema })),
  reveal: (contactId: string, reason: string) =>
    request('POST', `/api/contacts/${enc(contactId)}/reveal`, { reason }, RevealSchema, { quiet: true }),
  exportContact: (contactId: string) =>
    request('GET', `/api/contacts/${enc(contactId)}/export`, undefined, z.record(z.string(), z.unknown())),
  eraseContact: (contactId: string) => request('DELETE', `/api/contacts/${enc(contactId)}`, undefined, null),
};
