// Attribution and marketing shapes (docs/API.md "Attribution and marketing"): campaigns, ads, tracked click-to-chat
// links, lead stage changes, the funnel report and the Conversions API outbox view. Aggregates and ad data only —
// these shapes never carry message bodies, contact identities, ctwa_clid or PSIDs. Must never import server/client code.
import { z } from 'zod';

const Name = z.string().trim().min(1, 'must not be empty').max(120);
const ExternalId = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\w.:-]+$/, 'must be letters, digits, . _ : -');
const IsoDate = z.iso.datetime({ offset: true });

export const CampaignPlatformSchema = z.enum(['facebook', 'instagram', 'whatsapp', 'messenger', 'other']);
export const CampaignInputSchema = z.strictObject({
  name: Name,
  platform: CampaignPlatformSchema.optional(),
  externalId: ExternalId.nullable().optional(),
  budget: z.number().int().nonnegative().nullable().optional(),
  spend: z.number().int().nonnegative().nullable().optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be a 3-letter ISO currency code')
    .nullable()
    .optional(),
  startsAt: IsoDate.nullable().optional(),
  endsAt: IsoDate.nullable().optional(),
});
export type CampaignInput = z.infer<typeof CampaignInputSchema>;
export const CampaignPatchSchema = CampaignInputSchema.partial();

export const AdViewSchema = z.object({
  id: z.string(),
  campaignId: z.string(),
  name: z.string(),
  externalId: z.string().nullable(),
  headline: z.string().nullable(),
  creativeUrl: z.string().nullable(),
  sourceUrl: z.string().nullable(),
  autoCreated: z.boolean(),
});
export type AdView = z.infer<typeof AdViewSchema>;
export const AdInputSchema = z.strictObject({
  name: Name,
  externalId: ExternalId.nullable().optional(),
  headline: z.string().trim().max(300).nullable().optional(),
  creativeUrl: z
    .url({ protocol: /^https?$/ })
    .nullable()
    .optional(),
  sourceUrl: z
    .url({ protocol: /^https?$/ })
    .nullable()
    .optional(),
});

export const CampaignViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  platform: CampaignPlatformSchema,
  externalId: z.string().nullable(),
  budget: z.number().nullable(),
  spend: z.number().nullable(),
  currency: z.string().nullable(),
  startsAt: z.string().nullable(),
  endsAt: z.string().nullable(),
  unassigned: z.boolean(),
  ads: z.array(AdViewSchema),
});
export type CampaignView = z.infer<typeof CampaignViewSchema>;
export const CampaignListResponseSchema = z.object({ items: z.array(CampaignViewSchema) });

export const LinkInputSchema = z.strictObject({
  name: Name,
  channelId: z.string().regex(/^[a-f\d]{24}$/i, 'must be a channel id'),
  campaignId: z
    .string()
    .regex(/^[a-f\d]{24}$/i, 'must be a campaign id')
    .nullable()
    .optional(),
  adId: z
    .string()
    .regex(/^[a-f\d]{24}$/i, 'must be an ad id')
    .nullable()
    .optional(),
  prefilledText: z.string().trim().max(500).optional(),
  landing: z.boolean().optional(),
});
export type LinkInput = z.infer<typeof LinkInputSchema>;

export const LinkViewSchema = z.object({
  id: z.string(),
  slug: z.string(),
  url: z.string(),
  name: z.string(),
  channelId: z.string(),
  channelKind: z.string(),
  campaignId: z.string().nullable(),
  adId: z.string().nullable(),
  prefilledText: z.string(),
  landing: z.boolean(),
  clicks: z.number().int().nonnegative(),
  createdAt: z.string(),
});
export type LinkView = z.infer<typeof LinkViewSchema>;
export const LinkListResponseSchema = z.object({ items: z.array(LinkViewSchema) });

export const LeadStageInputSchema = z
  .strictObject({
    stage: z.enum(['qualified', 'converted', 'lost']),
    value: z.number().int('must be an integer in minor units').nonnegative().max(1e12).optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be a 3-letter ISO currency code')
      .optional(),
  })
  .refine((b) => b.stage !== 'converted' || (b.value !== undefined && b.currency !== undefined), {
    message: 'a conversion needs value (minor units) and currency',
    path: ['value'],
  });
export type LeadStageInput = z.infer<typeof LeadStageInputSchema>;
/** The answer to a lead stage change. */
export const LeadStageResultSchema = z.object({
  stage: z.string(),
  value: z.number().nullable(),
  currency: z.string().nullable(),
});
export type LeadStageResult = z.infer<typeof LeadStageResultSchema>;

/** GET /api/analytics/billing: messages WhatsApp billed (or sent free) per campaign and pricing category. */
export const BillingQuerySchema = z.strictObject({
  from: z.iso.date().or(IsoDate).optional(),
  to: z.iso.date().or(IsoDate).optional(),
});
export const BillingRowSchema = z.object({
  /** null: conversations not attributed to a campaign (organic). */
  campaignId: z.string().nullable(),
  label: z.string(),
  /** Per pricing category (marketing, utility, authentication, service…): billable and free messages. */
  categories: z.record(z.string(), z.object({ billable: z.number(), free: z.number() })),
  billable: z.number(),
  free: z.number(),
});
export const BillingReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  rows: z.array(BillingRowSchema),
});
export type BillingReport = z.infer<typeof BillingReportSchema>;

export const FunnelQuerySchema = z.strictObject({
  from: z.iso.date().or(IsoDate).optional(),
  to: z.iso.date().or(IsoDate).optional(),
  groupBy: z.enum(['campaign', 'ad']).default('campaign'),
  format: z.enum(['json', 'csv']).default('json'),
});
export const FunnelRowSchema = z.object({
  key: z.string(),
  label: z.string(),
  clicks: z.number().int(),
  chats: z.number().int(),
  answered: z.number().int(),
  medianFirstResponseSeconds: z.number().nullable(),
  qualified: z.number().int(),
  converted: z.number().int(),
  conversionValue: z.number().int(),
  /** converted / chats (0..1), null without chats. */
  conversionRate: z.number().nullable(),
});
export type FunnelRow = z.infer<typeof FunnelRowSchema>;
export const FunnelReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  groupBy: z.enum(['campaign', 'ad']),
  rows: z.array(FunnelRowSchema),
  totals: FunnelRowSchema,
  perDay: z.array(z.object({ date: z.string(), chats: z.number().int(), clicks: z.number().int() })),
});
export type FunnelReport = z.infer<typeof FunnelReportSchema>;

export const CapiOutboxItemSchema = z.object({
  id: z.string(),
  eventName: z.string(),
  eventId: z.string(),
  state: z.enum(['pending', 'sending', 'sent', 'dead', 'skipped']),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  createdAt: z.string(),
});
export type CapiOutboxItem = z.infer<typeof CapiOutboxItemSchema>;
/** GET /api/capi/outbox: whether reporting is configured, and the events in the asked state. */
export const CapiOutboxListResponseSchema = z.object({ enabled: z.boolean(), items: z.array(CapiOutboxItemSchema) });
export type CapiOutboxListResponse = z.infer<typeof CapiOutboxListResponseSchema>;
