// The ChannelAdapter contract: every channel (WhatsApp Cloud API, Messenger, sandbox, whatsapp-web.js) turns
// provider input into normalized ChannelEvents and sends outbound payloads, declaring what it can do.
// Adapters never touch models, the bus or HTTP: they translate formats and talk to their provider.
import type { ChannelKind } from '../../../shared/src/index.js';
import type { NormalizeContext } from './timestamps.js';

export interface ChannelCapabilities {
  /** Free-form replies allowed this many hours after the customer's last inbound message (null: no window). */
  replyWindowHours: number | null;
  /** Messenger's HUMAN_AGENT tag: a human may reply up to this many hours (null: not available). */
  humanAgentWindowHours: number | null;
  /** Approved templates can be sent outside the window. */
  templates: boolean;
  /** Outbound media kinds the channel can send. */
  outboundMedia: ReadonlyArray<'image' | 'document' | 'video' | 'audio'>;
  /** Inbound events may carry ad referral data. */
  adReferrals: boolean;
  /** Delivery/read statuses are reported. */
  readReceipts: boolean;
  /** Inbound events arrive as signed webhooks on /webhooks/<provider> (vs. a live client like whatsapp-web.js). */
  webhook: 'whatsapp' | 'messenger' | null;
}

/**
 * One way of recognising a customer. Contacts are resolved by ANY strong identity, never by wa_id alone:
 * wa_id (phone), wa_user_id (WhatsApp business-scoped user id, BSUID), wa_parent_user_id (parent BSUID), psid
 * (Messenger, page-scoped), igsid (Instagram-scoped), wweb_id / wweb_lid (whatsapp-web.js). `wa_username` is
 * weak: kept, revealed, exported and erased like the others, but never used to match or merge (WhatsApp users
 * change and give up usernames).
 */
export type IdentityKind =
  'wa_id' | 'wa_user_id' | 'wa_parent_user_id' | 'wa_username' | 'psid' | 'igsid' | 'wweb_id' | 'wweb_lid';
/** Identities that may be reused by another person later: stored, never matched on. */
export const WEAK_IDENTITY_KINDS: ReadonlySet<string> = new Set(['wa_username']);
export interface ContactIdentity {
  kind: IdentityKind;
  /** Provider value, scoped where the provider scopes it (PSIDs are per page: `<pageId>:<psid>`). */
  value: string;
}

export interface Referral {
  /** ctwa: click-to-WhatsApp ad (Cloud referral or whatsapp-web ctwaContext); ctm: click-to-Messenger ad; link: m.me ref. */
  source: 'ctwa' | 'ctm' | 'link';
  adId?: string;
  sourceType?: string;
  sourceUrl?: string;
  headline?: string;
  body?: string;
  mediaType?: string;
  mediaUrl?: string;
  thumbnailUrl?: string;
  /** ctwa_clid — server-side only, never sent to the console. */
  clickId?: string;
  /** Messenger/m.me `ref` parameter. */
  ref?: string;
  postId?: string;
  welcomeText?: string;
}

export type InboundKind =
  | 'text'
  | 'image'
  | 'video'
  | 'audio'
  | 'document'
  | 'sticker'
  | 'location'
  | 'contacts'
  | 'interactive'
  | 'reaction'
  | 'system'
  | 'unsupported';

export interface InboundMedia {
  /** Provider media id to fetch (Cloud API), or a direct URL (Messenger attachments). */
  providerMediaId?: string;
  url?: string;
  mimeType?: string;
  filename?: string;
  sha256?: string;
}

export interface InboundMessage {
  providerMessageId: string;
  /** Every identity the provider gave for the sender (first one is the reply address). */
  identities: ContactIdentity[];
  /** Phone number in E.164 digits when the provider revealed it (wa_id, @c.us). */
  phone?: string;
  displayName?: string;
  /** The sender's WhatsApp username when they set one (shown masked as a handle when there is no number). */
  username?: string;
  /** When it was sent, made trustworthy (timestamps.ts: never in the future, never invalid). */
  timestamp: Date;
  /** The provider's own timestamp when it parsed, unclamped (kept on the message); null when it did not. */
  providerTimestamp?: Date | null;
  kind: InboundKind;
  /** Text, caption, button title, location label… — what an agent reads. Placeholder for unsupported types. */
  text: string | null;
  media?: InboundMedia;
  /** Interactive/button reply id or payload (consent buttons, template quick replies). */
  replyPayload?: string;
  /** For reactions: the provider id of the message reacted to. */
  reactionTo?: string;
  /** Provider id of the message this one replies to. */
  contextMessageId?: string;
  referral?: Referral;
  /** Provider's own type name, kept for debugging unsupported types. */
  providerType: string;
}

export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed';
export interface StatusUpdate {
  providerMessageId: string;
  status: DeliveryStatus;
  timestamp: Date;
  /** Provider error when failed: code and a human reason. */
  error?: { code: string; reason: string };
  /** What the provider bills for this message (WhatsApp per-message pricing), when it says. */
  pricing?: MessagePricing;
}

/** WhatsApp `pricing` of a status: category (marketing, utility, authentication, service…), billable, type. */
export interface MessagePricing {
  category: string;
  billable: boolean;
  /** regular, free_customer_service, free_entry_point… (null when not given). */
  type: string | null;
  /** The pricing model (PMP: per message). */
  model: string | null;
}

/** A referral that arrived without a message (Messenger OPEN_THREAD): kept for the sender's next message. */
export interface ReferralOnly {
  identities: ContactIdentity[];
  timestamp: Date;
  referral: Referral;
}

/**
 * The provider says these identities are one person (WhatsApp `user_id_update`: the phone and the previous and
 * current business-scoped user ids). The contacts they resolve to are merged.
 */
export interface IdentityLink {
  identities: ContactIdentity[];
  timestamp: Date;
  phone?: string;
  username?: string;
  displayName?: string;
}

/** The customer stopped or resumed marketing messages inside the app (WhatsApp `user_preferences`). */
export interface MarketingPreference {
  identities: ContactIdentity[];
  phone?: string;
  value: 'stop' | 'resume';
  timestamp: Date;
  /** A stable id of this provider event (redeliveries carry the same), kept as the consent evidence. */
  evidenceId: string;
  /** The provider's own description ("User requested to stop marketing messages"). */
  detail?: string;
}

export type ChannelEvent =
  | { type: 'message'; message: InboundMessage }
  | { type: 'status'; status: StatusUpdate }
  | { type: 'referral'; referral: ReferralOnly }
  | { type: 'identity_link'; link: IdentityLink }
  | { type: 'preference'; preference: MarketingPreference };

export interface OutboundMedia {
  bytes: Buffer;
  mimeType: string;
  filename: string;
}

export interface OutboundPayload {
  /** The customer's reply address on this channel (an identity value as stored). */
  to: ContactIdentity;
  kind: 'text' | 'template' | 'image' | 'document' | 'video' | 'audio';
  text?: string;
  template?: { name: string; language: string; params: string[] };
  media?: OutboundMedia;
  /** Messenger: send with the HUMAN_AGENT tag (outside 24 h, inside 7 days). */
  humanAgentTag?: boolean;
}

export type SendResult =
  | { ok: true; providerMessageId: string }
  | {
      ok: false;
      /** Safe to retry: the provider certainly did not accept it (5xx, throttled, connection refused). */
      transient: boolean;
      code: string;
      reason: string;
    };

export interface ChannelAdapter {
  readonly kind: ChannelKind;
  readonly capabilities: ChannelCapabilities;
  /**
   * Raw provider input (a webhook body, a whatsapp-web message) → normalized events. Throws on a bad envelope, never
   * on a bad timestamp (ctx.receivedAt stands in for it).
   */
  normalize(raw: unknown, ctx?: NormalizeContext): ChannelEvent[];
  send(payload: OutboundPayload): Promise<SendResult>;
  /** Downloads inbound media; null when the provider has nothing (expired, deleted). */
  fetchMedia(media: InboundMedia): Promise<OutboundMedia | null>;
}
