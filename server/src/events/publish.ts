// The one place where stored records become bus facts, and the publishers of the events several flows announce
// (message.created / message.updated / conversation.updated / review.created): each shape is built here only.
// Records are copied as plain data (string ids, dates, unmasked text): the realtime listener renders and masks.
// Must never render API views, read the database or know about sockets.
import type {
  Actor,
  ConsentFact,
  ContactFact,
  ConversationFact,
  MessageFact,
  ReportFact,
} from '../../../shared/src/index.js';
import type { EventBus } from './bus.js';

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const date = (v: unknown): Date | null => (v instanceof Date ? v : v ? new Date(v as string) : null);

/** A stored message (document or lean record). */
export interface MessageLike {
  _id: unknown;
  conversationId: unknown;
  channelId: unknown;
  contactId: unknown;
  direction: string;
  kind: string;
  text?: string | null;
  status: string;
  createdAt?: Date | null;
  media?: { state?: string | null; mimeType?: string | null; filename?: string | null } | null;
  error?: { code?: string | null; reason?: string | null } | null;
  authorId?: unknown;
}

export function messageFact(m: MessageLike): MessageFact {
  return {
    id: String(m._id),
    conversationId: String(m.conversationId),
    channelId: String(m.channelId),
    contactId: String(m.contactId),
    direction: m.direction as MessageFact['direction'],
    kind: m.kind as MessageFact['kind'],
    text: m.text ?? null,
    status: m.status as MessageFact['status'],
    // A record without a creation time is rendered as "now" (as views always did).
    createdAt: m.createdAt ?? new Date(),
    media: m.media
      ? { state: m.media.state ?? null, mimeType: m.media.mimeType ?? null, filename: m.media.filename ?? null }
      : null,
    error: m.error ? { code: str(m.error.code), reason: m.error.reason ?? null } : null,
    authorId: str(m.authorId),
  };
}

export interface ConversationLike {
  _id: unknown;
  channelId: unknown;
  contactId: unknown;
  status: string;
  assigneeId?: unknown;
  lastMessageAt?: Date | null;
  lastInboundAt?: Date | null;
  windowExpiresAt?: Date | null;
  unreadCount?: number | null;
  lastMessagePreview?: string | null;
  labelIds?: unknown[] | null;
  snoozedUntil?: Date | null;
  attribution?: unknown;
  lead?: unknown;
}

export function conversationFact(c: ConversationLike): ConversationFact {
  return {
    id: String(c._id),
    channelId: String(c.channelId),
    contactId: String(c.contactId),
    status: c.status,
    assigneeId: str(c.assigneeId),
    lastMessageAt: date(c.lastMessageAt),
    lastInboundAt: date(c.lastInboundAt),
    windowExpiresAt: date(c.windowExpiresAt),
    unreadCount: c.unreadCount ?? 0,
    lastMessagePreview: c.lastMessagePreview ?? null,
    labelIds: (c.labelIds ?? []).map(String),
    snoozedUntil: date(c.snoozedUntil),
    attribution: (c.attribution as ConversationFact['attribution']) ?? null,
    lead: (c.lead as ConversationFact['lead']) ?? null,
  };
}

export interface ContactLike {
  _id: unknown;
  handle: string;
  displayName?: string | null;
  phone?: string | null;
  username?: string | null;
  erasedAt?: Date | null;
}

export function contactFact(c: ContactLike): ContactFact {
  return {
    id: String(c._id),
    handle: c.handle,
    displayName: c.displayName ?? null,
    phone: c.phone ?? null,
    username: c.username ?? null,
    erasedAt: date(c.erasedAt),
  };
}

export interface ReportLike {
  _id: unknown;
  conversationId: unknown;
  channelId: unknown;
  contactId: unknown;
  messageId: unknown;
  language: string;
  status?: string | null;
  createdAt?: Date | null;
  resolvedAt?: Date | null;
  resolvedBy?: unknown;
  resolutionNote?: string | null;
}

export function reportFact(r: ReportLike): ReportFact {
  return {
    id: String(r._id),
    conversationId: String(r.conversationId),
    channelId: String(r.channelId),
    contactId: String(r.contactId),
    messageId: String(r.messageId),
    language: r.language,
    status: r.status ?? null,
    createdAt: r.createdAt ?? new Date(),
    resolvedAt: date(r.resolvedAt),
    resolvedBy: str(r.resolvedBy),
    resolutionNote: r.resolutionNote ?? null,
  };
}

/** The actor of a send (inbox/sender's Sender, a refusal's `by`). */
export function actorOf(by: { type: 'user' | 'integration' | 'system'; id: string }): Actor {
  return { kind: by.type, id: by.id };
}

/** Shown author of a message: who wrote it (null: none shown, as for customers' messages and system lines). */
export type MessageAuthor = { id: string; name: string } | null;

function messageEvent(record: MessageLike, actor: Actor, author: MessageAuthor) {
  const message = messageFact(record);
  return {
    channelId: message.channelId,
    conversationId: message.conversationId,
    messageId: message.id,
    message,
    author: author ? { id: author.id, name: author.name } : null,
    actor,
  };
}

/** A message was stored (inbound, sent, noted, refused, held, a system line). */
export function publishMessageCreated(
  bus: EventBus,
  record: MessageLike,
  actor: Actor,
  author: MessageAuthor = null,
): void {
  bus.publish('message.created', messageEvent(record, actor, author));
}

/** A stored message changed beyond its status (media, failure reason, review decision, release). */
export function publishMessageUpdated(
  bus: EventBus,
  record: MessageLike,
  actor: Actor,
  author: MessageAuthor = null,
): void {
  bus.publish('message.updated', messageEvent(record, actor, author));
}

/** A conversation changed; contact and consent go along when the publisher has them (the listener reads the rest). */
export function publishConversationUpdated(
  bus: EventBus,
  state: { conversation: ConversationFact; contact?: ContactFact; consent?: ConsentFact },
  actor: Actor,
): void {
  const { conversation, contact, consent } = state;
  bus.publish('conversation.updated', {
    channelId: conversation.channelId,
    conversationId: conversation.id,
    conversation,
    ...(contact ? { contact } : {}),
    ...(consent ? { consent } : {}),
    actor,
  });
}

/** A new review item: a held message (announced once, whatever held it) or an abuse report. */
export function publishReviewCreated(
  bus: EventBus,
  item:
    | { type: 'held_message'; message: MessageFact; actor: Actor }
    | { type: 'abuse_report'; report: ReportLike; actor: Actor },
): void {
  if (item.type === 'held_message') {
    const m = item.message;
    bus.publish('review.created', {
      type: 'held_message',
      itemId: m.id,
      conversationId: m.conversationId,
      channelId: m.channelId,
      message: m,
      actor: item.actor,
    });
    return;
  }
  const report = reportFact(item.report);
  bus.publish('review.created', {
    type: 'abuse_report',
    itemId: report.id,
    conversationId: report.conversationId,
    channelId: report.channelId,
    report,
    actor: item.actor,
  });
}
