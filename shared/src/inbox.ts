// Conversation, message, contact and channel shapes as the API and socket send them (docs/API.md). These are the
// masked, role-safe views: they never carry a real phone number or raw provider id. Must never import server/client code.
import { z } from 'zod';

export const ChannelKindSchema = z.enum(['whatsapp-web', 'whatsapp-cloud', 'messenger', 'sandbox']);
export type ChannelKind = z.infer<typeof ChannelKindSchema>;
export const ChannelStateSchema = z.enum([
  'idle',
  'qr',
  'authenticating',
  'ready',
  'disconnected',
  'logged_out',
  'failed',
]);
export type ChannelState = z.infer<typeof ChannelStateSchema>;

export const ChannelSchema = z.object({
  id: z.string(),
  kind: ChannelKindSchema,
  name: z.string(),
  state: ChannelStateSchema,
  stateReason: z.string().optional(),
  displayNumber: z.string().optional(),
  /** What the channel can do, so the console follows the same rules as the server's guard. */
  capabilities: z
    .object({
      replyWindowHours: z.number().nullable(),
      humanAgentWindowHours: z.number().nullable(),
      templates: z.boolean(),
      outboundMedia: z.array(z.enum(['image', 'document', 'video', 'audio'])),
    })
    .optional(),
});
export type Channel = z.infer<typeof ChannelSchema>;

export const ConsentStateSchema = z.enum(['granted', 'withdrawn', 'unknown']);
export const ContactSummarySchema = z.object({
  id: z.string(),
  handle: z.string(),
  displayName: z.string().nullable(),
  maskedPhone: z.string().nullable(),
  /** The WhatsApp username, masked ("@ma•••"): what identifies a customer who shares no number. */
  maskedUsername: z.string().nullable().optional(),
  consent: z.object({ marketing: ConsentStateSchema, adMeasurement: ConsentStateSchema }),
});
export type ContactSummary = z.infer<typeof ContactSummarySchema>;

export const AttributionSchema = z.object({
  source: z.enum(['ctwa', 'ctm', 'link', 'organic']),
  campaignId: z.string().optional(),
  adId: z.string().optional(),
  headline: z.string().optional(),
  sourceUrl: z.string().optional(),
  mediaUrl: z.string().optional(),
  clickedAt: z.string().optional(),
  hasClickId: z.boolean(),
});
export type Attribution = z.infer<typeof AttributionSchema>;

export const ConversationStatusSchema = z.enum(['open', 'pending', 'snoozed', 'closed']);
export const LeadStageSchema = z.enum(['new', 'answered', 'qualified', 'converted', 'lost']);

export const ConversationSchema = z.object({
  id: z.string(),
  channel: z.string(),
  status: ConversationStatusSchema,
  assignee: z.string().nullable(),
  contact: ContactSummarySchema,
  lastMessageAt: z.string().nullable(),
  lastInboundAt: z.string().nullable(),
  windowExpiresAt: z.string().nullable(),
  unreadCount: z.number().int().nonnegative(),
  /** The newest message, shortened, masked like message texts. */
  lastMessagePreview: z.string().nullable(),
  /** Ids of the conversation's labels (names and colours: GET /api/labels). */
  labels: z.array(z.string()),
  /** While snoozed: when it reopens. */
  snoozedUntil: z.string().nullable(),
  attribution: AttributionSchema.nullable(),
  lead: z
    .object({ stage: LeadStageSchema, value: z.number().int().nullable(), currency: z.string().nullable() })
    .nullable(),
});
export type Conversation = z.infer<typeof ConversationSchema>;

export const MessageStatusSchema = z.enum([
  'received',
  'queued',
  'sent',
  'delivered',
  'read',
  'failed',
  'held',
  'blocked',
]);
export type MessageStatus = z.infer<typeof MessageStatusSchema>;
export const MessageKindSchema = z.enum([
  'text',
  'image',
  'video',
  'audio',
  'document',
  'sticker',
  'location',
  'contacts',
  'interactive',
  'reaction',
  'note',
  'template',
  'system',
  'unsupported',
]);

export const MessageSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  direction: z.enum(['in', 'out']),
  kind: MessageKindSchema,
  text: z.string().nullable(),
  media: z.object({ url: z.string(), mimeType: z.string(), filename: z.string().optional() }).optional(),
  status: MessageStatusSchema,
  statusReason: z.string().optional(),
  author: z.object({ id: z.string(), name: z.string() }).optional(),
  createdAt: z.string(),
});
export type Message = z.infer<typeof MessageSchema>;
