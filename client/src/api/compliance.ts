// Typed REST calls of customer protection: message templates (list for the composer's picker; admin CRUD) and a
// contact's consent ledger (state + history, agent-recorded changes with a note). Must never keep data beyond
// the calling component's state.
import {
  ConsentLedgerSchema,
  TemplateListResponseSchema,
  TemplateSchema,
  type ConsentLedger,
  type RecordConsentBody,
  type Template,
  type TemplateBody,
} from '../../../shared/src/index.js';
import { request, type RequestOptions } from './client.js';

const templatePath = (id: string) => `/api/templates/${encodeURIComponent(id)}`;
const consentPath = (contactId: string) => `/api/contacts/${encodeURIComponent(contactId)}/consent`;

export const complianceApi = {
  async listTemplates(options: RequestOptions = {}): Promise<Template[]> {
    return (await request('GET', '/api/templates', undefined, TemplateListResponseSchema, options)).items;
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
  recordConsent(contactId: string, body: RecordConsentBody, options: RequestOptions = {}): Promise<ConsentLedger> {
    return request('POST', consentPath(contactId), body, ConsentLedgerSchema, options);
  },
};
