// Request/response schemas of the conversations, messages, channels and canned-replies API (docs/API.md
// "Conversations and messages", "Channels"). Must never import server or client code.
import { z } from 'zod';
import { ChannelSchema, ConversationSchema, ConversationStatusSchema, MessageSchema } from './inbox.js';

const objectId = z.string().regex(/^[a-f0-9]{24}$/i, 'must be an id');

export const ConversationListQuerySchema = z.strictObject({
  status: ConversationStatusSchema.optional(),
  assignee: z.union([z.enum(['me', 'none']), objectId]).optional(),
  channel: objectId.optional(),
  campaignId: z.string().max(64).optional(),
  label: objectId.optional(),
  q: z.string().trim().max(100).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});
export type ConversationListQuery = z.infer<typeof ConversationListQuerySchema>;
export const ConversationListResponseSchema = z.object({
  items: z.array(ConversationSchema),
  nextCursor: z.string().nullable(),
});
export type ConversationListResponse = z.infer<typeof ConversationListResponseSchema>;

export const MessageListQuerySchema = z.strictObject({
  before: objectId.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const MessageListResponseSchema = z.object({ items: z.array(MessageSchema) });
export type MessageListResponse = z.infer<typeof MessageListResponseSchema>;

export const TemplateRefSchema = z.strictObject({
  name: z.string().min(1).max(512),
  language: z.string().min(2).max(15),
  params: z.array(z.string().max(1024)).max(20).default([]),
});

export const PostMessageBodySchema = z.union([
  z.strictObject({ text: z.string().trim().min(1, 'must not be empty').max(4096) }),
  z.strictObject({ template: TemplateRefSchema }),
  z.strictObject({ note: z.string().trim().min(1, 'must not be empty').max(4096) }),
]);
export type PostMessageBody = z.infer<typeof PostMessageBodySchema>;

export const AssignBodySchema = z.strictObject({ userId: objectId.nullable() });
export type AssignBody = z.infer<typeof AssignBodySchema>;
/** A user a conversation can be assigned to (GET /api/conversations/:id/assignees). */
export const AssigneeSchema = z.object({ id: z.string(), name: z.string(), role: z.string() });
export type Assignee = z.infer<typeof AssigneeSchema>;
export const AssigneeListResponseSchema = z.object({ items: z.array(AssigneeSchema) });

/** 422 refusal codes of POST /api/conversations/:id/messages (docs/API.md). */
export const SendRefusalCodeSchema = z.enum([
  'window_closed',
  'consent_required',
  'frequency_capped',
  'content_blocked',
  'held_for_review',
  'contact_opted_out',
  'contact_erased',
  'template_unavailable',
]);
export type SendRefusalCode = z.infer<typeof SendRefusalCodeSchema>;

const secret = z.string().trim().min(1).max(1024);
export const CreateChannelBodySchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('whatsapp-cloud'),
    name: z.string().trim().min(1).max(80),
    config: z.strictObject({
      phoneNumberId: z.string().regex(/^\d{5,20}$/, 'must be the numeric phone_number_id'),
      businessAccountId: z
        .string()
        .regex(/^\d{5,20}$/)
        .optional(),
      displayNumber: z.string().max(32).optional(),
      accessToken: secret,
      appSecret: secret,
      verifyToken: secret,
    }),
  }),
  z.strictObject({
    kind: z.literal('messenger'),
    name: z.string().trim().min(1).max(80),
    config: z.strictObject({
      pageId: z.string().regex(/^\d{5,20}$/, 'must be the numeric page id'),
      pageToken: secret,
      appSecret: secret,
      verifyToken: secret,
    }),
  }),
  z.strictObject({
    kind: z.literal('sandbox'),
    name: z.string().trim().min(1).max(80),
    config: z.strictObject({ displayNumber: z.string().max(32).optional() }).default({}),
  }),
  z.strictObject({
    kind: z.literal('whatsapp-web'),
    name: z.string().trim().min(1).max(80),
    config: z.strictObject({}).default({}),
  }),
]);
export type CreateChannelBody = z.infer<typeof CreateChannelBodySchema>;
export const ChannelListResponseSchema = z.object({ items: z.array(ChannelSchema) });

export const CannedReplySchema = z.object({
  id: z.string(),
  shortcut: z.string(),
  title: z.string(),
  text: z.string(),
});
export type CannedReply = z.infer<typeof CannedReplySchema>;
export const CannedReplyListResponseSchema = z.object({ items: z.array(CannedReplySchema) });
export const CreateCannedReplyBodySchema = z.strictObject({
  shortcut: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'letters, digits, - and _ (max 32)'),
  title: z.string().trim().min(1).max(80),
  text: z.string().trim().min(1).max(4096),
});
export type CreateCannedReplyBody = z.infer<typeof CreateCannedReplyBodySchema>;
export const UpdateCannedReplyBodySchema = CreateCannedReplyBodySchema.partial().refine(
  (b) => Object.keys(b).length > 0,
  {
    message: 'at least one field to change is required',
  },
);
