// whatsapp-web intake bodies → normalized ChannelEvents: received messages (text, media, location, vcard, revoked)
// and acks of our own sends. Ids are kept exactly as the library gave them (`…@c.us` → wweb_id, `…@lid` →
// wweb_lid, the sender's chat id first so it is the reply address); a phone is only read off a `@c.us` id, never
// used to build one. Groups, status@broadcast and our own messages yield nothing. Times go through timestamps.ts
// (seconds or milliseconds, a future one clamped, a bad one the receive time). Pure: never touches the client.
import type {
  ChannelEvent,
  ContactIdentity,
  DeliveryStatus,
  InboundKind,
  InboundMessage,
  Referral,
} from '../adapter.js';
import { providerTime, type NormalizeContext } from '../timestamps.js';
import type { WwebIntakeBody, WwebMessageSnapshot } from './types.js';

const KINDS: Record<string, InboundKind> = {
  chat: 'text',
  image: 'image',
  video: 'video',
  audio: 'audio',
  ptt: 'audio',
  document: 'document',
  sticker: 'sticker',
  location: 'location',
  vcard: 'contacts',
  multi_vcard: 'contacts',
  revoked: 'system',
  // Notices such as "changed their phone number" (subtype change_number): a system line, masked at intake.
  notification_template: 'system',
  reaction: 'reaction',
};

/** ack (-1 error, 0 pending, 1 server, 2 device, 3 read, 4 played) → delivery status; null: nothing to record. */
export function ackToStatus(ack: number): DeliveryStatus | null {
  if (ack === -1) return 'failed';
  if (ack === 1) return 'sent';
  if (ack === 2) return 'delivered';
  if (ack === 3 || ack === 4) return 'read';
  return null;
}

/** Chats the inbox ignores: groups, status updates, broadcasts, newsletters. */
export function isIgnoredChat(chatId: string): boolean {
  return !(chatId.endsWith('@c.us') || chatId.endsWith('@lid'));
}

function identityOf(id: string): ContactIdentity | null {
  if (id.endsWith('@c.us')) return { kind: 'wweb_id', value: id };
  if (id.endsWith('@lid')) return { kind: 'wweb_lid', value: id };
  return null;
}

export function normalizeWweb(raw: unknown, ctx: NormalizeContext = {}): ChannelEvent[] {
  const body = raw as WwebIntakeBody;
  if (!body || typeof body !== 'object' || body.v !== 1) throw new Error('not a whatsapp-web intake body');
  if (body.type === 'ack') {
    if (typeof body.id !== 'string' || typeof body.ack !== 'number') throw new Error('bad whatsapp-web ack');
    const status = ackToStatus(body.ack);
    if (!status) return [];
    return [
      {
        type: 'status',
        status: {
          providerMessageId: body.id,
          status,
          timestamp: providerTime(body.at, ctx.receivedAt).at,
          ...(status === 'failed'
            ? { error: { code: 'wweb_ack_error', reason: 'WhatsApp reported an error delivering this message.' } }
            : {}),
        },
      },
    ];
  }
  if (body.type !== 'message' || !body.message || typeof body.message.id !== 'string')
    throw new Error('bad whatsapp-web message');
  const m = body.message;
  if (m.fromMe || m.isStatus || m.broadcast || isIgnoredChat(m.from)) return [];
  const message = toInbound(m, ctx.receivedAt);
  return message ? [{ type: 'message', message }] : [];
}

function toInbound(m: WwebMessageSnapshot, receivedAt?: Date): InboundMessage | null {
  const first = identityOf(m.from);
  if (!first) return null;
  const identities: ContactIdentity[] = [first];
  for (const extra of [m.resolvedPhoneId, m.resolvedLid]) {
    const id = extra ? identityOf(extra) : null;
    if (id && !identities.some((i) => i.value === id.value)) identities.push(id);
  }
  const phoneId = [m.from, m.resolvedPhoneId].find((id) => id?.endsWith('@c.us'));
  const phone = phoneId ? phoneId.slice(0, -'@c.us'.length).replace(/\D/g, '') : undefined;
  const kind: InboundKind = KINDS[m.type] ?? 'unsupported';
  const revoked = m.type === 'revoked';
  const time = providerTime(m.timestamp, receivedAt);
  const msg: InboundMessage = {
    // A revoked message keeps the original's id: a suffix keeps it apart from the original (stored once each).
    providerMessageId: revoked ? `${m.id}:revoked` : m.id,
    identities,
    ...(phone ? { phone } : {}),
    ...(m.notifyName ? { displayName: m.notifyName } : {}),
    timestamp: time.at,
    providerTimestamp: time.provider,
    kind,
    text: textOf(m, kind),
    providerType: m.type,
  };
  if (m.hasMedia && ['image', 'video', 'audio', 'document', 'sticker'].includes(kind)) {
    msg.media = {
      providerMediaId: m.id,
      ...(m.mimetype ? { mimeType: m.mimetype } : {}),
      ...(m.filename ? { filename: m.filename } : {}),
    };
  }
  if (m.quotedId) msg.contextMessageId = m.quotedId;
  const referral = referralOf(m.ctwaContext);
  if (referral) msg.referral = referral;
  return msg;
}

function textOf(m: WwebMessageSnapshot, kind: InboundKind): string | null {
  switch (kind) {
    case 'text':
      return m.body;
    case 'location': {
      const l = m.location;
      if (!l) return 'Location';
      const label = [l.name, l.address].filter(Boolean).join(', ');
      return label ? `${label} (${l.latitude}, ${l.longitude})` : `Location (${l.latitude}, ${l.longitude})`;
    }
    case 'contacts': {
      const names = (m.vCards ?? []).map((v) => /^FN[^:]*:(.*)$/m.exec(v)?.[1]?.trim()).filter(Boolean);
      return names.length ? `Contact: ${names.join(', ')}` : 'Contact card';
    }
    case 'system':
      return m.type === 'revoked' ? 'The customer deleted a message.' : m.body?.trim() || 'WhatsApp notification';
    case 'unsupported':
      return `Unsupported message (${m.type})`;
    default:
      return m.body ? m.body : null;
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

/** `_data.ctwaContext` → a ctwa referral (attribution also matches ref codes in the text). */
export function referralOf(ctx: Record<string, unknown> | undefined): Referral | undefined {
  if (!ctx || typeof ctx !== 'object') return undefined;
  const r: Referral = { source: 'ctwa' };
  const set = (k: keyof Referral, v: unknown) => {
    const s = str(v);
    if (s) (r as unknown as Record<string, string>)[k] = s;
  };
  set('sourceUrl', ctx.sourceUrl);
  set('headline', ctx.title);
  set('body', ctx.description);
  set('mediaUrl', ctx.mediaUrl ?? ctx.thumbnailUrl);
  set('thumbnailUrl', ctx.thumbnailUrl);
  set('adId', ctx.sourceId);
  set('sourceType', ctx.sourceType ?? ctx.conversionSource);
  set('clickId', ctx.ctwaClid ?? ctx.ctwa_clid);
  if (typeof ctx.mediaType === 'number') r.mediaType = ctx.mediaType === 2 ? 'video' : 'image';
  else set('mediaType', ctx.mediaType);
  return Object.keys(r).length > 1 ? r : undefined;
}
