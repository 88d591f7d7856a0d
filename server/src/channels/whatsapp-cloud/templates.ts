// WhatsApp Cloud API template lifecycle webhooks, addressed to the business account (no phone number id):
// `message_template_status_update` (approved, rejected, paused, disabled, archived…) and
// `template_category_update` (a template re-categorised, e.g. utility → marketing; an impending change that makes
// it marketing counts at once). Values are checked strictly (a malformed one throws, so the webhook answers 400
// naming the field); unknown events are ignored. Must never touch models and never decide what a status means for
// sending (the guard does).
import { z } from 'zod';

/** Template statuses Parley keeps (provider events mapped to one word each). */
export type ProviderTemplateStatus =
  'approved' | 'pending' | 'rejected' | 'paused' | 'disabled' | 'archived' | 'deleted' | 'flagged';
export type TemplateCategoryName = 'marketing' | 'utility' | 'authentication';

export interface TemplateLifecycleEvent {
  name: string;
  language: string;
  providerTemplateId?: string;
  status?: ProviderTemplateStatus;
  category?: TemplateCategoryName;
  /** The provider's reason (rejections, pauses), kept for the admin. */
  reason?: string;
  /** The WhatsApp Business Account (entry.id). */
  accountId: string;
}

const STATUS: Record<string, ProviderTemplateStatus> = {
  APPROVED: 'approved',
  REINSTATED: 'approved',
  UNARCHIVED: 'approved',
  PENDING: 'pending',
  IN_APPEAL: 'pending',
  REJECTED: 'rejected',
  PAUSED: 'paused',
  DISABLED: 'disabled',
  ARCHIVED: 'archived',
  PENDING_DELETION: 'deleted',
  DELETED: 'deleted',
  FLAGGED: 'flagged',
};

const templateId = z.union([z.string().min(1), z.number()]).optional();
const common = {
  message_template_id: templateId,
  message_template_name: z.string().min(1),
  message_template_language: z.string().min(1),
};
export const TemplateStatusValueSchema = z.looseObject({
  ...common,
  event: z.string().min(1),
  reason: z.string().nullish(),
  message_template_category: z.string().nullish(),
});
export const TemplateCategoryValueSchema = z.looseObject({
  ...common,
  new_category: z.string().min(1).optional(),
  previous_category: z.string().optional(),
  correct_category: z.string().optional(),
});

/** Account-level fields of this file, with the schema their `value` must match. */
export const TEMPLATE_FIELDS = {
  message_template_status_update: TemplateStatusValueSchema,
  template_category_update: TemplateCategoryValueSchema,
} as const;

const categoryOf = (v: string | null | undefined): TemplateCategoryName | undefined => {
  const c = v?.toLowerCase();
  return c === 'marketing' || c === 'utility' || c === 'authentication' ? c : undefined;
};

/** The template lifecycle events of one change (none for other fields or unknown events). */
export function templateEventsOf(accountId: string, field: string, value: unknown): TemplateLifecycleEvent[] {
  if (field === 'message_template_status_update') {
    const v = TemplateStatusValueSchema.parse(value);
    const status = STATUS[v.event.toUpperCase()];
    const category = categoryOf(v.message_template_category);
    if (!status && !category) return [];
    return [
      {
        name: v.message_template_name,
        language: v.message_template_language,
        accountId,
        ...(v.message_template_id !== undefined ? { providerTemplateId: String(v.message_template_id) } : {}),
        ...(status ? { status } : {}),
        ...(category ? { category } : {}),
        ...(v.reason && v.reason !== 'NONE' ? { reason: v.reason.slice(0, 300) } : {}),
      },
    ];
  }
  if (field === 'template_category_update') {
    const v = TemplateCategoryValueSchema.parse(value);
    // A completed change names the new category; an impending one (correct_category) applies now only when it
    // makes the template marketing — the stricter side, so consent is asked from the first moment Meta says so.
    const impending = categoryOf(v.correct_category);
    const category = impending ? (impending === 'marketing' ? impending : undefined) : categoryOf(v.new_category);
    if (!category) return [];
    return [
      {
        name: v.message_template_name,
        language: v.message_template_language,
        accountId,
        ...(v.message_template_id !== undefined ? { providerTemplateId: String(v.message_template_id) } : {}),
        category,
      },
    ];
  }
  return [];
}

type Body = { entry?: Array<{ id: string; changes?: Array<{ field: string; value: unknown }> }> };

/** Every template lifecycle event of a Cloud webhook body (already checked by parseCloudEnvelope); [] fast when none. */
export function cloudTemplateEvents(raw: unknown): TemplateLifecycleEvent[] {
  const body = raw as Body;
  const has = (body?.entry ?? []).some((e) => (e?.changes ?? []).some((c) => c && c.field in TEMPLATE_FIELDS));
  if (!has) return [];
  return (body.entry ?? []).flatMap((e) => (e.changes ?? []).flatMap((c) => templateEventsOf(e.id, c.field, c.value)));
}
