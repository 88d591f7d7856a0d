// The one place where domain records become API/socket shapes (Conversation, Message, ContactSummary).
// Masking happens here for every role: views never carry a real phone number or provider id (nor one inside a
// system line or contact card: those texts are masked again here, for records stored before masking at intake).
// Revealing is a separate, audited endpoint. Must never query the database: callers pass the records (stored
// documents, or the plain records of bus facts with their id as `_id`).
import type { Attribution, Channel, Conversation, ContactSummary, Message } from '../../../shared/src/index.js';
import { agentVisibleText, maskPhone, maskPhonesInText, maskUsername } from '../policy/masking.js';
import { CAPABILITIES } from '../channels/capabilities.js';
import type { ConversationLike } from '../events/publish.js';

/** The stored contact fields a contact summary is built from. */
export interface ContactFields {
  _id: unknown;
  handle: string;
  displayName?: string | null;
  phone?: string | null;
  username?: string | null;
  erasedAt?: Date | null;
}

/** The stored conversation fields a conversation view is built from (the same fields a bus fact copies). */
export type ConversationFields = ConversationLike;

/** The stored message fields a message view is built from. */
export interface MessageFields {
  _id: unknown;
  conversationId: unknown;
  direction: string;
  kind: string;
  text?: string | null;
  status: string;
  createdAt?: Date | null;
  media?: { state?: string | null; mimeType?: string | null; filename?: string | null } | null;
  error?: { reason?: string | null } | null;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export type ConsentSummary = ContactSummary['consent'];
export const UNKNOWN_CONSENT: ConsentSummary = { marketing: 'unknown', adMeasurement: 'unknown' };

export function toContactSummary(c: ContactFields, consent: ConsentSummary = UNKNOWN_CONSENT): ContactSummary {
  return {
    id: String(c._id),
    handle: c.handle,
    displayName: c.erasedAt ? null : (c.displayName ?? null),
    maskedPhone: c.erasedAt ? null : maskPhone(c.phone),
    maskedUsername: c.erasedAt ? null : maskUsername(c.username),
    consent,
  };
}

export function toConversationView(
  conv: ConversationFields,
  contact: ContactFields,
  consent?: ConsentSummary,
): Conversation {
  const lead = conv.lead as { stage?: string; value?: number | null; currency?: string | null } | null;
  return {
    id: String(conv._id),
    channel: String(conv.channelId),
    status: conv.status as Conversation['status'],
    assignee: conv.assigneeId ? String(conv.assigneeId) : null,
    contact: toContactSummary(contact, consent),
    lastMessageAt: iso(conv.lastMessageAt),
    lastInboundAt: iso(conv.lastInboundAt),
    windowExpiresAt: iso(conv.windowExpiresAt),
    unreadCount: conv.unreadCount ?? 0,
    lastMessagePreview: contact.erasedAt || !conv.lastMessagePreview ? null : maskPhonesInText(conv.lastMessagePreview),
    labels: (conv.labelIds ?? []).map(String),
    snoozedUntil: conv.status === 'snoozed' ? iso(conv.snoozedUntil) : null,
    attribution: (conv.attribution as Attribution | null) ?? null,
    lead: lead?.stage
      ? {
          stage: lead.stage as NonNullable<Conversation['lead']>['stage'],
          value: lead.value ?? null,
          currency: lead.currency ?? null,
        }
      : null,
  };
}

export function toMessageView(m: MessageFields, author?: { id: string; name: string } | null): Message {
  const view: Message = {
    id: String(m._id),
    conversationId: String(m.conversationId),
    direction: m.direction as Message['direction'],
    kind: m.kind as Message['kind'],
    text: agentVisibleText(m.kind, m.text),
    status: m.status as Message['status'],
    createdAt: (m.createdAt ?? new Date()).toISOString(),
  };
  if (m.media && m.media.state === 'stored') {
    view.media = {
      url: `/api/media/${String(m._id)}`,
      mimeType: m.media.mimeType ?? 'application/octet-stream',
      ...(m.media.filename ? { filename: m.media.filename } : {}),
    };
  }
  if (m.error?.reason) view.statusReason = m.error.reason;
  if (author) view.author = author;
  return view;
}

/** Channel records as the API shows them: never secrets, never provider tokens. */
export function toChannelView(c: {
  _id: unknown;
  kind: string;
  name: string;
  state: string;
  stateReason?: string | null;
  displayNumber?: string | null;
}): Channel {
  const caps = CAPABILITIES[c.kind as Channel['kind']];
  return {
    id: String(c._id),
    kind: c.kind as Channel['kind'],
    name: c.name,
    state: c.state as Channel['state'],
    ...(c.stateReason ? { stateReason: c.stateReason } : {}),
    ...(c.displayNumber ? { displayNumber: c.displayNumber } : {}),
    ...(caps
      ? {
          capabilities: {
            replyWindowHours: caps.replyWindowHours,
            humanAgentWindowHours: caps.humanAgentWindowHours,
            templates: caps.templates,
            outboundMedia: [...caps.outboundMedia],
          },
        }
      : {}),
  };
}
