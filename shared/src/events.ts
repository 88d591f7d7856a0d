// The payloads of the server's in-process domain events, as zod schemas: facts (ids, the stored records' plain
// fields the listeners need, unmasked, and who acted), never rendered or masked API views — the realtime listener
// renders those. Server-only vocabulary kept here beside the shapes it renders to. Must never import server or
// client code, and a record here must never be sent to a client as it is.
import { z } from 'zod';
import { ChannelStateSchema, ConsentStateSchema, MessageKindSchema, MessageStatusSchema } from './inbox.js';
import { RoleSchema } from './roles.js';

/** Who made a fact happen: a console user, an integration, Parley itself, or the customer (`contact`). */
export const ActorSchema = z.object({
  kind: z.enum(['user', 'integration', 'system', 'contact']),
  id: z.string(),
});
export type Actor = z.infer<typeof ActorSchema>;

/** A stored message, as its listeners need it (text unmasked: the renderer masks). */
export const MessageFactSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  channelId: z.string(),
  contactId: z.string(),
  direction: z.enum(['in', 'out']),
  kind: MessageKindSchema,
  text: z.string().nullable(),
  status: MessageStatusSchema,
  createdAt: z.date(),
  media: z
    .object({ state: z.string().nullable(), mimeType: z.string().nullable(), filename: z.string().nullable() })
    .nullable(),
  error: z.object({ code: z.string().nullable(), reason: z.string().nullable() }).nullable(),
  authorId: z.string().nullable(),
});
export type MessageFact = z.infer<typeof MessageFactSchema>;

/** The author shown on a message (a user, an integration or Parley's own sender); null: none shown. */
export const AuthorSchema = z.object({ id: z.string(), name: z.string() }).nullable();

/** A stored conversation, as its view needs it. */
export const ConversationFactSchema = z.object({
  id: z.string(),
  channelId: z.string(),
  contactId: z.string(),
  status: z.string(),
  assigneeId: z.string().nullable(),
  lastMessageAt: z.date().nullable(),
  lastInboundAt: z.date().nullable(),
  windowExpiresAt: z.date().nullable(),
  unreadCount: z.number(),
  lastMessagePreview: z.string().nullable(),
  labelIds: z.array(z.string()),
  snoozedUntil: z.date().nullable(),
  attribution: z.record(z.string(), z.unknown()).nullable(),
  lead: z
    .looseObject({ stage: z.string().nullish(), value: z.number().nullish(), currency: z.string().nullish() })
    .nullable(),
});
export type ConversationFact = z.infer<typeof ConversationFactSchema>;

/** A stored contact (the real phone number: the renderer masks it). */
export const ContactFactSchema = z.object({
  id: z.string(),
  handle: z.string(),
  displayName: z.string().nullable(),
  phone: z.string().nullable(),
  /** WhatsApp username (the renderer masks it too). */
  username: z.string().nullable().optional(),
  erasedAt: z.date().nullable(),
});
export type ContactFact = z.infer<typeof ContactFactSchema>;

export const ConsentFactSchema = z.object({ marketing: ConsentStateSchema, adMeasurement: ConsentStateSchema });
export type ConsentFact = z.infer<typeof ConsentFactSchema>;

/** A stored abuse report. */
export const ReportFactSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  channelId: z.string(),
  contactId: z.string(),
  messageId: z.string(),
  language: z.string(),
  status: z.string().nullable(),
  createdAt: z.date(),
  resolvedAt: z.date().nullable(),
  resolvedBy: z.string().nullable(),
  resolutionNote: z.string().nullable(),
});
export type ReportFact = z.infer<typeof ReportFactSchema>;

const MessageEventSchema = z.object({
  channelId: z.string(),
  conversationId: z.string(),
  messageId: z.string(),
  message: MessageFactSchema,
  author: AuthorSchema,
  actor: ActorSchema,
});

export const DomainEventSchemas = {
  'user.created': z.object({ userId: z.string(), role: RoleSchema }),
  /** Role, channel membership or active flag changed. */
  'user.updated': z.object({
    userId: z.string(),
    role: RoleSchema,
    channelIds: z.array(z.string()),
    active: z.boolean(),
    changed: z.array(z.string()),
  }),
  'user.deactivated': z.object({ userId: z.string() }),
  /** A browser session ended (logout); its sockets must go. */
  'session.ended': z.object({ sessionId: z.string(), userId: z.string(), reason: z.literal('logout') }),
  /**
   * A conversation changed. `contact` and `consent` travel when the publisher has them at hand; otherwise the
   * listener that renders the conversation reads them.
   */
  'conversation.updated': z.object({
    channelId: z.string(),
    conversationId: z.string(),
    conversation: ConversationFactSchema,
    contact: ContactFactSchema.optional(),
    consent: ConsentFactSchema.optional(),
    actor: ActorSchema,
  }),
  'message.created': MessageEventSchema,
  /** A message changed beyond its status (media stored, failure reason, review decision, release). */
  'message.updated': MessageEventSchema,
  'message.status': z.object({
    channelId: z.string(),
    conversationId: z.string(),
    messageId: z.string(),
    status: MessageStatusSchema,
  }),
  typing: z.object({ channelId: z.string(), conversationId: z.string(), who: z.string(), userId: z.string() }),
  'channel.qr': z.object({ channelId: z.string(), qr: z.string() }),
  'channel.state': z.object({
    channelId: z.string(),
    state: ChannelStateSchema,
    reason: z.string().nullish(),
  }),
  /** A new item in the supervisors' review queue: a held message or an abuse report (with its record). */
  'review.created': z.discriminatedUnion('type', [
    z.object({
      type: z.literal('held_message'),
      itemId: z.string(),
      conversationId: z.string(),
      channelId: z.string(),
      message: MessageFactSchema,
      actor: ActorSchema,
    }),
    z.object({
      type: z.literal('abuse_report'),
      itemId: z.string(),
      conversationId: z.string(),
      channelId: z.string(),
      report: ReportFactSchema,
      actor: ActorSchema,
    }),
  ]),
} as const;

export type DomainEventName = keyof typeof DomainEventSchemas;
export type DomainEventPayload<E extends DomainEventName> = z.infer<(typeof DomainEventSchemas)[E]>;
