// Typed REST calls of supervision and privacy: audit search + chain verification, the review queue, integrations
// (approved senders), reveal with a reason, data-subject export and erasure. Must never keep a revealed number or
// an export beyond the calling component's state, and never store a token.
import { z } from 'zod';
import {
  ApproveIntegrationResponseSchema,
  AuditListResponseSchema,
  AuditVerifyResponseSchema,
  CreateIntegrationResponseSchema,
  IntegrationListResponseSchema,
  MeResponseSchema,
  RevealResponseSchema,
  ReviewDecisionResponseSchema,
  ReviewListResponseSchema,
  RevokeIntegrationResponseSchema,
} from '../../../shared/src/index.js';
import { request } from './client.js';

/** The audit search form's filters (sent as the query of GET /api/audit). */
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
    return request('GET', `/api/audit?${q.toString()}`, undefined, AuditListResponseSchema);
  },
  verify: () => request('GET', '/api/audit/verify', undefined, AuditVerifyResponseSchema),
  review: () => request('GET', '/api/review', undefined, ReviewListResponseSchema),
  approve: (id: string, note?: string) =>
    request('POST', `/api/review/${enc(id)}/approve`, note ? { note } : {}, ReviewDecisionResponseSchema),
  reject: (id: string, note?: string) =>
    request('POST', `/api/review/${enc(id)}/reject`, note ? { note } : {}, ReviewDecisionResponseSchema),
  integrations: () => request('GET', '/api/integrations', undefined, IntegrationListResponseSchema),
  createIntegration: (name: string) => request('POST', '/api/integrations', { name }, CreateIntegrationResponseSchema),
  approveIntegration: (id: string) =>
    request('POST', `/api/integrations/${enc(id)}/approve`, {}, ApproveIntegrationResponseSchema),
  revokeIntegration: (id: string) =>
    request('POST', `/api/integrations/${enc(id)}/revoke`, {}, RevokeIntegrationResponseSchema),
  reveal: (contactId: string, reason: string) =>
    request('POST', `/api/contacts/${enc(contactId)}/reveal`, { reason }, RevealResponseSchema, { quiet: true }),
  exportContact: (contactId: string) =>
    request('GET', `/api/contacts/${enc(contactId)}/export`, undefined, z.record(z.string(), z.unknown())),
  eraseContact: (contactId: string) => request('DELETE', `/api/contacts/${enc(contactId)}`, undefined, null),
};
