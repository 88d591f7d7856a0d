// Typed REST calls of customer protection: message templates (list for the composer's picker; admin CRUD) and a
// contact's consent ledger (state + history, agent-recorded changes with a note). Must never keep data beyond
// the calling component's state.
import { z } from 'zod';
import { request, type RequestOptions } from './client.js';

export const TemplateSchema = z.object({
  id: z.string(),
  name: z.string(),
  language: z.string(),
  category: z.enum(['marketing', 'utility', 'authentication']),
  body: z.string(),
  variables: z.number(),
  approved: z.boolean(),
  updatedAt: z.string().nullable(),
});
export type Template = z.infer<typeof TemplateSchema>;
export type TemplateCategory = Template['category'];
export interface TemplateBody {
  name: string;
  language: string;
  category: TemplateCategory;
  body: string;
  approved: boolean;
}

const ConsentValue = z.enum(['granted', 'withdrawn', 'unknown']);
export const ConsentEventSchema = z.object({
  id: z.string(),
  purpose: z.enum(['marketing', 'ad_measurement']),
  action: z.enum(['granted', 'withdrawn']),
  channelId: z.string().nullable(),
  method: z.enum(['keyword', 'button', 'landing_form', 'agent', 'api']),
  textVersion: z.string().nullable(),
  text: z.string().nullable(),
  evidence: z.object({ messageId: z.string().nullable(), clickId: z.string().nullable() }).nullable(),
  actor: z.object({ type: z.string(), id: z.string().nullable(), name: z.string().nullable() }),
  note: z.string().nullable(),
  at: z.string(),
});
export type ConsentEvent = z.infer<typeof ConsentEventSchema>;
export const ConsentLedgerSchema = z.object({
  state: z.object({ marketing: ConsentValue, adMeasurement: ConsentValue }),
  events: z.array(ConsentEventSchema),
});
export type ConsentLedger = z.infer<typeof ConsentLedgerSchema>;

const TemplateListSchema = z.object({ items: z.array(TemplateSchema) });
const templatePath = (id: string) => `/api/templates/${encodeURIComponent(id)}`;
const consentPath = (contactId: string) => `/api/contacts/${encodeURIComponent(contactId)}/consent`;

export const complianceApi = {
  async listTemplates(options: RequestOptions = {}): Promise<Template[]> {
    return (await request('GET', '/api/templates', undefined, TemplateListSchema, options)).items;
  },
  createTemplate(body: TemplateBody, options: RequestOptions = {}): Promise<Template> {
    return request('POST', '/api/templates', body, TemplateSchema, options);
  },
  updateTemplate(id: string, body: Partial<TemplateBody>, options: RequestOptions = {}): Promise<Template> {
    return request('PATCH', templatePath(id), body, TemplateSchema, options);
  },
  async deleteTemplate(id: string): Promise<void> {
    await request('DELETE', templatePath(id), undefined, null);
  },
  consent(contactId: string, options: RequestOptions = {}): Promise<ConsentLedger> {
    return request('GET', consentPath(contactId), undefined, ConsentLedgerSchema, options);
  },
  recordConsent(
    contactId: string,
    body: { purpose: 'marketing' | 'ad_measurement'; action: 'granted' | 'withdrawn'; note: string },
    options: RequestOptions = {},
  ): Promise<ConsentLedger> {
    return request('POST', consentPath(contactId), body, ConsentLedgerSchema, options);
  },
};
