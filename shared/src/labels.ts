// Labels, snooze and bulk actions of the conversation list (docs/API.md "Labels", "Conversations"): request and
// answer schemas shared by server and console. Label colours come from one fixed palette. Must never import server
// or client code.
import { z } from 'zod';

const objectId = z.string().regex(/^[a-f0-9]{24}$/i, 'must be an id');

/** The label colours a label may have (hex, readable with white text). */
export const LABEL_COLORS = [
  '#64748b',
  '#dc2626',
  '#ea580c',
  '#ca8a04',
  '#16a34a',
  '#0d9488',
  '#2563eb',
  '#7c3aed',
  '#db2777',
] as const;
export const LabelColorSchema = z
  .string()
  .toLowerCase()
  .refine((c) => (LABEL_COLORS as readonly string[]).includes(c), {
    message: `must be one of ${LABEL_COLORS.join(', ')}`,
  });

export const LabelSchema = z.object({ id: z.string(), name: z.string(), color: z.string() });
export type Label = z.infer<typeof LabelSchema>;
export const LabelListResponseSchema = z.object({ items: z.array(LabelSchema) });

const labelName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(40)
  .regex(/^[^<>]*$/, 'must not contain < or >');
export const CreateLabelBodySchema = z.strictObject({ name: labelName, color: LabelColorSchema });
export type CreateLabelBody = z.infer<typeof CreateLabelBodySchema>;
export const UpdateLabelBodySchema = z
  .strictObject({ name: labelName.optional(), color: LabelColorSchema.optional() })
  .refine((b) => b.name !== undefined || b.color !== undefined, { message: 'name at least one of name, color' });
export type UpdateLabelBody = z.infer<typeof UpdateLabelBodySchema>;

/** POST /api/conversations/:id/labels: label ids to add and to remove (at least one id in all). */
export const ConversationLabelsBodySchema = z
  .strictObject({
    add: z.array(objectId).max(20).optional(),
    remove: z.array(objectId).max(20).optional(),
  })
  .refine((b) => (b.add?.length ?? 0) + (b.remove?.length ?? 0) > 0, { message: 'name a label in add or remove' });
export type ConversationLabelsBody = z.infer<typeof ConversationLabelsBodySchema>;

/** The longest a conversation can be snoozed. */
export const MAX_SNOOZE_MS = 366 * 24 * 3_600_000;
/** POST /api/conversations/:id/snooze: until when (ISO datetime, in the future, at most a year ahead). */
export const SnoozeBodySchema = z.strictObject({
  until: z.iso
    .datetime({ offset: true, message: 'must be an ISO date-time' })
    .refine((s) => new Date(s).getTime() > Date.now(), { message: 'must be in the future' })
    .refine((s) => new Date(s).getTime() <= Date.now() + MAX_SNOOZE_MS, { message: 'must be within a year' }),
});
export type SnoozeBody = z.infer<typeof SnoozeBodySchema>;

/** POST /api/conversations/bulk: one action applied to each id, each checked on its own. */
export const BulkActionBodySchema = z.strictObject({
  ids: z.array(objectId).min(1, 'name at least one conversation').max(100),
  action: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('close') }),
    z.strictObject({ type: z.literal('assign'), userId: objectId.nullable() }),
    z.strictObject({
      type: z.literal('labels'),
      add: z.array(objectId).max(20).optional(),
      remove: z.array(objectId).max(20).optional(),
    }),
  ]),
});
export type BulkActionBody = z.infer<typeof BulkActionBodySchema>;
export const BulkResultSchema = z.object({
  results: z.array(
    z.object({
      id: z.string(),
      ok: z.boolean(),
      error: z.object({ code: z.string(), message: z.string() }).optional(),
    }),
  ),
});
export type BulkResult = z.infer<typeof BulkResultSchema>;
