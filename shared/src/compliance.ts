// Request/response schemas of message templates and the consent ledger: the template view, the admin's create and
// edit bodies, a contact's consent state and events, and an agent's recorded consent change. Must never import
// server or client code.
import { z } from 'zod';
import { ConsentStateSchema } from './inbox.js';

export const TemplateCategorySchema = z.enum(['marketing', 'utility', 'authentication']);
export type TemplateCategory = z.infer<typeof TemplateCategorySchema>;

export const TemplateSchema = z.object({
  id: z.string(),
  name: z.string(),
  language: z.string(),
  category: TemplateCategorySchema,
  body: z.string(),
  /** Highest {{n}} in the body. */
  variables: z.number(),
  approved: z.boolean(),
  /** The provider's status (template webhooks); rejected, paused, disabled, archived, deleted or pending → not sendable. */
  providerStatus: z
    .enum(['approved', 'pending', 'rejected', 'paused', 'disabled', 'archived', 'deleted', 'flagged'])
    .nullable()
    .optional(),
  providerStatusReason: z.string().nullable().optional(),
  updatedAt: z.string().nullable(),
});
export type Template = z.infer<typeof TemplateSchema>;
export const TemplateListResponseSchema = z.object({ items: z.array(TemplateSchema) });

const templateFields = {
  name: z
    .string()
    .trim()
    .regex(/^[a-z0-9_]{1,100}$/, 'lower-case letters, digits and _ (max 100)'),
  language: z
    .string()
    .trim()
    .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'a language code like es, en or pt_BR'),
  category: TemplateCategorySchema,
  body: z.string().trim().min(1, 'must not be empty').max(1024),
  approved: z.boolean(),
};
export const CreateTemplateBodySchema = z.strictObject({
  ...templateFields,
  approved: templateFields.approved.default(false),
});
/** A template as the admin's form holds and sends it. */
export type TemplateBody = z.infer<typeof CreateTemplateBodySchema>;
export const UpdateTemplateBodySchema = z
  .strictObject(templateFields)
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'at least one field to change is required' });

export const ConsentPurposeSchema = z.enum(['marketing', 'ad_measurement']);
export const ConsentActionSchema = z.enum(['granted', 'withdrawn']);
export const ConsentEventSchema = z.object({
  id: z.string(),
  purpose: ConsentPurposeSchema,
  action: ConsentActionSchema,
  channelId: z.string().nullable(),
  method: z.enum(['keyword', 'button', 'landing_form', 'agent', 'api', 'provider']),
  textVersion: z.string().nullable(),
  text: z.string().nullable(),
  evidence: z
    .object({ messageId: z.string().nullable(), clickId: z.string().nullable(), eventId: z.string().nullish() })
    .nullable(),
  actor: z.object({ type: z.string(), id: z.string().nullable(), name: z.string().nullable() }),
  note: z.string().nullable(),
  at: z.string(),
});
export type ConsentEvent = z.infer<typeof ConsentEventSchema>;
/** A contact's current consent per purpose and its ledger, newest first. */
export const ConsentLedgerSchema = z.object({
  state: z.object({ marketing: ConsentStateSchema, adMeasurement: ConsentStateSchema }),
  events: z.array(ConsentEventSchema),
});
export type ConsentLedger = z.infer<typeof ConsentLedgerSchema>;

export const RecordConsentBodySchema = z.strictObject({
  purpose: ConsentPurposeSchema,
  action: ConsentActionSchema,
  note: z.string().trim().min(3, 'say how the customer expressed it (at least 3 characters)').max(500),
});
export type RecordConsentBody = z.infer<typeof RecordConsentBodySchema>;
