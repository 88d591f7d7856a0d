// Messenger webhook bodies (object "page") → normalized ChannelEvents: messages (text, attachments, quick
// replies), postbacks, reactions, delivery receipts, and ad/m.me referrals found on the event itself, inside a
// message or inside a postback. Strict on the envelope (a malformed one throws → 400), open to unknown event kinds.
// Must never store echoes of our own sends, never throw on message content or a bad timestamp (timestamps.ts:
// milliseconds or seconds, clamped to the receive time), and never touch models.
import { z } from 'zod';
import type { ChannelEvent, ContactIdentity, InboundKind, InboundMessage, Referral } from '../adapter.js';
import { providerTime, type NormalizeContext } from '../timestamps.js';

const MessagingItem = z.looseObject({
  sender: z.looseObject({ id: z.string().min(1) }),
  recipient: z.looseObject({ id: z.string().min(1) }),
  /** Milliseconds per Meta; anything else is read by providerTime (a bad one is the receive time). */
  timestamp: z.unknown().optional(),
});
export const MessengerEnvelopeSchema = z.looseObject({
  object: z.literal('page'),
  entry: z.array(
    z.looseObject({
      id: z.string().min(1),
      time: z.unknown().optional(),
      messaging: z.array(MessagingItem).optional(),
      standby: z.array(z.unknown()).optional(),
    }),
  ),
});
export type MessengerEnvelope = z.infer<typeof MessengerEnvelopeSchema>;

export function parseMessengerEnvelope(raw: unknown): MessengerEnvelope {
  return MessengerEnvelopeSchema.parse(raw);
}

/** One envelope per page id (entry.id), in order. Entries without `messaging` (standby, changes) are dropped. */
export function splitMessengerByRoutingKey(raw: unknown): Array<{ routingKey: string; payload: MessengerEnvelope }> {
  const env = parseMessengerEnvelope(raw);
  const parts: Array<{ routingKey: string; payload: MessengerEnvelope }> = [];
  for (const entry of env.entry) {
    if (!entry.messaging?.length) continue;
    let part = parts.find((p) => p.routingKey === entry.id);
    if (!part) parts.push((part = { routingKey: entry.id, payload: { object: env.object, entry: [] } }));
    part.payload.entry.push(entry);
  }
  return parts;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

export function normalizeMessenger(raw: unknown, ctx: NormalizeContext = {}): ChannelEvent[] {
  const env = parseMessengerEnvelope(raw);
  const events: ChannelEvent[] = [];
  for (const entry of env.entry) {
    for (const item of entry.messaging ?? []) {
      const ev = item as Obj & z.infer<typeof MessagingItem>;
      const pageId = entry.id;
      const identities: ContactIdentity[] = [{ kind: 'psid', value: `${pageId}:${ev.sender.id}` }];
      const time = providerTime(ev.timestamp, ctx.receivedAt);
      const timestamp = time.at;
      const stamp = String(ev.timestamp ?? '');
      const message = obj(ev.message);
      const postback = obj(ev.postback);
      const reaction = obj(ev.reaction);
      const delivery = obj(ev.delivery);
      if (message) {
        if (message.is_echo === true) continue; // our own send, already stored by the outbox
        const m = fromMessage(
          message,
          identities,
          timestamp,
          toReferral(obj(message.referral)) ?? toReferral(obj(ev.referral)),
        );
        if (m) events.push({ type: 'message', message: { ...m, providerTimestamp: time.provider } });
      } else if (postback) {
        const title = str(postback.title) ?? str(postback.payload) ?? 'Button tapped';
        const m: InboundMessage = {
          providerMessageId: str(postback.mid) ?? `postback:${ev.sender.id}:${stamp}`,
          identities,
          timestamp,
          providerTimestamp: time.provider,
          kind: 'interactive',
          text: title,
          providerType: 'postback',
          ...(str(postback.payload) ? { replyPayload: str(postback.payload) } : {}),
        };
        const referral = toReferral(obj(postback.referral)) ?? toReferral(obj(ev.referral));
        if (referral) m.referral = referral;
        events.push({ type: 'message', message: m });
      } else if (reaction && str(reaction.mid)) {
        const unreact = reaction.action === 'unreact';
        events.push({
          type: 'message',
          message: {
            providerMessageId: `reaction:${str(reaction.mid)}:${ev.sender.id}:${stamp}`,
            identities,
            timestamp,
            providerTimestamp: time.provider,
            kind: 'reaction',
            text: unreact ? null : (str(reaction.emoji) ?? str(reaction.reaction) ?? null),
            reactionTo: str(reaction.mid),
            providerType: 'reaction',
          },
        });
      } else if (delivery && Array.isArray(delivery.mids)) {
        for (const mid of delivery.mids) {
          if (str(mid))
            events.push({
              type: 'status',
              status: { providerMessageId: mid as string, status: 'delivered', timestamp },
            });
        }
      } else {
        const referral = toReferral(obj(ev.referral));
        if (referral) events.push({ type: 'referral', referral: { identities, timestamp, referral } });
        // read watermarks, optins, account linking…: nothing the inbox stores yet.
      }
    }
  }
  return events;
}

const ATTACHMENT_KIND: Record<string, InboundKind> = {
  image: 'image',
  video: 'video',
  audio: 'audio',
  file: 'document',
};
const PLACEHOLDER: Record<string, string> = {
  image: '📷 Photo',
  video: '🎥 Video',
  audio: '🎤 Audio',
  file: '📄 File',
};

function fromMessage(
  message: Obj,
  identities: ContactIdentity[],
  timestamp: Date,
  referral: Referral | undefined,
): InboundMessage | null {
  const mid = str(message.mid);
  if (!mid) return null;
  const m: InboundMessage = {
    providerMessageId: mid,
    identities,
    timestamp,
    kind: 'text',
    text: str(message.text) ?? null,
    providerType: 'text',
  };
  if (referral) m.referral = referral;
  const replyTo = str(obj(message.reply_to)?.mid);
  if (replyTo) m.contextMessageId = replyTo;
  const quick = obj(message.quick_reply);
  const attachments = (Array.isArray(message.attachments) ? message.attachments : [])
    .map(obj)
    .filter((a): a is Obj => !!a);
  if (quick && str(quick.payload)) {
    m.kind = 'interactive';
    m.providerType = 'quick_reply';
    m.replyPayload = str(quick.payload);
    return m;
  }
  const first = attachments[0];
  if (first) {
    const type = str(first.type) ?? 'unknown';
    const payload = obj(first.payload) ?? {};
    m.providerType = type;
    const more = attachments.length > 1 ? ` (+${attachments.length - 1} more)` : '';
    if (ATTACHMENT_KIND[type] && str(payload.url)) {
      m.kind = payload.sticker_id !== undefined && type === 'image' ? 'sticker' : ATTACHMENT_KIND[type];
      m.media = { url: str(payload.url) };
      if (str(first.title) || str(payload.title)) m.media.filename = str(first.title) ?? str(payload.title);
      if (more) m.text = `${m.text ?? PLACEHOLDER[type]}${more}`;
      return m;
    }
    if (type === 'location') {
      const c = obj(payload.coordinates);
      const label = str(first.title) ?? str(payload.title);
      m.kind = 'location';
      m.text = c ? `📍 ${label ? `${label} ` : ''}(${String(c.lat)}, ${String(c.long)})` : `📍 ${label ?? 'Location'}`;
      return m;
    }
    if (type === 'fallback' || type === 'share' || type === 'template') {
      const url = str(payload.url) ?? str(first.url);
      const title = str(first.title) ?? str(payload.title);
      m.kind = m.text ? 'text' : 'unsupported';
      m.text = m.text ?? `[Shared ${type}${title ? `: ${title}` : ''}${url ? ` ${url}` : ''}]`;
      return m;
    }
    m.kind = m.text ? 'text' : 'unsupported';
    m.text = m.text ?? `[Unsupported message type: ${type}]`;
    return m;
  }
  if (m.text === null) {
    m.kind = 'unsupported';
    m.providerType = 'unknown';
    m.text = '[Unsupported message type: unknown]';
  }
  return m;
}

function toReferral(r: Obj | undefined): Referral | undefined {
  if (!r) return undefined;
  const source = str(r.source);
  const ref = str(r.ref);
  if (source === 'ADS') {
    const ctx = obj(r.ads_context_data) ?? {};
    const out: Referral = { source: 'ctm' };
    const set = (k: keyof Referral, v: unknown) => {
      const s = str(v);
      if (s) (out as unknown as Record<string, string>)[k] = s;
    };
    set('adId', r.ad_id);
    set('ref', ref);
    set('sourceType', r.type);
    set('headline', ctx.ad_title);
    set('mediaUrl', ctx.photo_url ?? ctx.video_url);
    set('mediaType', ctx.video_url ? 'video' : ctx.photo_url ? 'image' : undefined);
    set('postId', ctx.post_id);
    return out;
  }
  // m.me links (SHORTLINK) and other entry points that carry a ref code.
  if (ref) return { source: 'link', ref, ...(str(r.type) ? { sourceType: str(r.type) } : {}) };
  return undefined;
}
