// WhatsApp Cloud API webhook bodies → normalized ChannelEvents (messages, statuses with pricing, ad referrals; the
// `user_preferences` and `user_id_update` fields through account-events.ts; template fields are checked here and
// read by templates.ts), and the display numbers a part reports. Strict on the
// envelope (object, entry, changes, metadata: a malformed one throws, so the webhook can answer 400), open to
// anything inside a message: unknown or malformed message types become `unsupported` with a placeholder text.
// Must never throw on message content or a bad timestamp (Meta would retry for days; timestamps.ts reads seconds,
// milliseconds or ISO and clamps a future one), never key a contact on wa_id alone, and never touch models.
import { z } from 'zod';
import type {
  ChannelEvent,
  ContactIdentity,
  DeliveryStatus,
  InboundKind,
  InboundMessage,
  Referral,
  StatusUpdate,
} from '../adapter.js';
import { providerTime, type NormalizeContext } from '../timestamps.js';
import { cloudErrorReason } from './errors.js';
import { ACCOUNT_EVENT_FIELDS, identityLinksOf, preferencesOf } from './account-events.js';
import { TEMPLATE_FIELDS } from './templates.js';

/** Unix seconds per Meta; anything else is read by providerTime (a bad one is the receive time), never rejected. */
const timestamp = z.unknown().optional();

const MessageItem = z.looseObject({
  id: z.string().min(1),
  from: z.string().min(1).optional(),
  from_user_id: z.string().min(1).optional(),
  timestamp,
  type: z.string().min(1),
});
const StatusItem = z.looseObject({
  id: z.string().min(1),
  status: z.string().min(1),
  timestamp,
  recipient_id: z.string().optional(),
  errors: z.array(z.looseObject({ code: z.union([z.number(), z.string()]).optional() })).optional(),
});
const ContactItem = z.looseObject({
  profile: z.looseObject({ name: z.string().optional(), username: z.string().optional() }).optional(),
  wa_id: z.string().min(1).optional(),
  user_id: z.string().min(1).optional(),
  parent_user_id: z.string().min(1).optional(),
});
export const MessagesValueSchema = z.looseObject({
  messaging_product: z.literal('whatsapp').optional(),
  metadata: z.looseObject({ display_phone_number: z.string().optional(), phone_number_id: z.string().min(1) }),
  contacts: z.array(ContactItem).optional(),
  messages: z.array(MessageItem).optional(),
  statuses: z.array(StatusItem).optional(),
  errors: z.array(z.unknown()).optional(),
});
const Change = z.looseObject({ field: z.string().min(1), value: z.looseObject({}) });
export const CloudEnvelopeSchema = z.looseObject({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(z.looseObject({ id: z.string().min(1), changes: z.array(Change) })),
});
export type CloudEnvelope = z.infer<typeof CloudEnvelopeSchema>;

/** Fields addressed to one phone number (metadata.phone_number_id), with the schema of their value. */
const ROUTED_FIELDS: Record<string, z.ZodType<{ metadata: { phone_number_id: string } }>> = {
  messages: MessagesValueSchema,
  ...ACCOUNT_EVENT_FIELDS,
};
/** Fields addressed to the business account (templates), read by templates.ts, checked here too. */
const ACCOUNT_FIELDS: Record<string, z.ZodType> = TEMPLATE_FIELDS;

/** Parses the envelope (throws a ZodError on a malformed one), checking the value of every change Parley reads. */
export function parseCloudEnvelope(raw: unknown): CloudEnvelope {
  const env = CloudEnvelopeSchema.parse(raw);
  env.entry.forEach((e, i) =>
    e.changes.forEach((c, j) => {
      const schema: z.ZodType | undefined = ROUTED_FIELDS[c.field] ?? ACCOUNT_FIELDS[c.field];
      const parsed = schema?.safeParse(c.value);
      if (parsed && !parsed.success) throw prefixed(parsed.error, ['entry', i, 'changes', j, 'value']);
    }),
  );
  return env;
}

/** The same error with every issue's path starting at `at` (so the 400 names the whole path). */
function prefixed(err: z.ZodError, at: Array<string | number>): z.ZodError {
  return new z.ZodError(err.issues.map((i) => ({ ...i, path: [...at, ...i.path] })));
}

/**
 * Splits a body into one envelope per routing key (metadata.phone_number_id), in order, so each part can go to its
 * own channel. Changes of account-level fields (template status, category…) carry no routing key and are dropped
 * here (templates.ts reads them).
 */
export function splitCloudByRoutingKey(raw: unknown): Array<{ routingKey: string; payload: CloudEnvelope }> {
  const env = CloudEnvelopeSchema.parse(raw); // each messages value is checked once, below
  const parts: Array<{ routingKey: string; payload: CloudEnvelope }> = [];
  for (const entry of env.entry) {
    for (const change of entry.changes) {
      const schema = ROUTED_FIELDS[change.field];
      if (!schema) continue;
      const routingKey = schema.parse(change.value).metadata.phone_number_id;
      let part = parts.find((p) => p.routingKey === routingKey);
      if (!part) parts.push((part = { routingKey, payload: { object: env.object, entry: [] } }));
      const last = part.payload.entry.at(-1);
      if (last && last.id === entry.id) last.changes.push(change);
      else part.payload.entry.push({ id: entry.id, changes: [change] });
    }
  }
  return parts;
}

/** The numbers customers see (metadata.display_phone_number) a parsed part reports, once each, well-formed only. */
export function displayNumbersOf(env: CloudEnvelope): string[] {
  const out = new Set<string>();
  for (const e of env.entry)
    for (const c of e.changes) {
      const shown = str(obj(obj(c.value)?.metadata)?.display_phone_number);
      if (ROUTED_FIELDS[c.field] && shown && /^\+?\d{6,15}$/.test(shown)) out.add(shown);
    }
  return [...out];
}

export function normalizeCloud(raw: unknown, ctx: NormalizeContext = {}): ChannelEvent[] {
  const env = CloudEnvelopeSchema.parse(raw); // each messages value is checked once, below
  const events: ChannelEvent[] = [];
  for (const entry of env.entry) {
    for (const change of entry.changes) {
      if (change.field === 'user_preferences') {
        for (const preference of preferencesOf(entry.id, change.value, ctx.receivedAt))
          events.push({ type: 'preference', preference });
        continue;
      }
      if (change.field === 'user_id_update') {
        for (const link of identityLinksOf(change.value, ctx.receivedAt)) events.push({ type: 'identity_link', link });
        continue;
      }
      if (change.field !== 'messages') continue;
      const value = MessagesValueSchema.parse(change.value);
      const contacts = value.contacts ?? [];
      for (const m of value.messages ?? [])
        events.push({ type: 'message', message: toMessage(m, contacts, ctx.receivedAt) });
      for (const s of value.statuses ?? []) {
        const status = toStatus(s, ctx.receivedAt);
        if (status) events.push({ type: 'status', status });
      }
    }
  }
  return events;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v)
    ? v
    : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))
      ? Number(v)
      : undefined;
const isPhoneDigits = (v: string) => /^\d{6,15}$/.test(v);

function identitiesFor(m: z.infer<typeof MessageItem>, contacts: z.infer<typeof ContactItem>[]) {
  const from = m.from ?? m.from_user_id;
  const c =
    contacts.find(
      (x) => (from && (x.wa_id === from || x.user_id === from)) || (m.from_user_id && x.user_id === m.from_user_id),
    ) ?? (contacts.length === 1 ? contacts[0] : undefined);
  const identities: ContactIdentity[] = [];
  const add = (kind: ContactIdentity['kind'], value: string | undefined) => {
    if (value && !identities.some((i) => i.kind === kind && i.value === value)) identities.push({ kind, value });
  };
  const waId = c?.wa_id ?? (m.from && isPhoneDigits(m.from) ? m.from : undefined);
  add('wa_id', waId);
  add('wa_user_id', c?.user_id ?? m.from_user_id ?? (m.from && !isPhoneDigits(m.from) ? m.from : undefined));
  add('wa_parent_user_id', c?.parent_user_id ?? str((m as Obj).from_parent_user_id));
  const username = str(c?.profile?.username);
  add('wa_username', username);
  return { identities, phone: waId, displayName: str(c?.profile?.name), username };
}

const MEDIA_TYPES = ['image', 'video', 'audio', 'document', 'sticker'] as const;
const unsupportedText = (type: string, detail?: string) =>
  `[Unsupported message type: ${type}${detail ? ` — ${detail}` : ''}]`;

function toMessage(
  m: z.infer<typeof MessageItem>,
  contacts: z.infer<typeof ContactItem>[],
  receivedAt?: Date,
): InboundMessage {
  const who = identitiesFor(m, contacts);
  const time = providerTime(m.timestamp, receivedAt);
  const base: InboundMessage = {
    providerMessageId: m.id,
    identities: who.identities,
    ...(who.phone ? { phone: who.phone } : {}),
    ...(who.displayName ? { displayName: who.displayName } : {}),
    ...(who.username ? { username: who.username } : {}),
    timestamp: time.at,
    providerTimestamp: time.provider,
    kind: 'unsupported',
    text: null,
    providerType: m.type,
  };
  const raw = m as Obj;
  const context = obj(raw.context);
  if (str(context?.id)) base.contextMessageId = str(context?.id);
  const referral = toReferral(obj(raw.referral));
  if (referral) base.referral = referral;
  try {
    Object.assign(base, content(m.type, raw));
  } catch {
    Object.assign(base, { kind: 'unsupported', text: unsupportedText(m.type) });
  }
  if (m.type === 'system') {
    // user_changed_number: the new number becomes the reply address; the old one still finds the contact.
    const sys = obj(raw.system);
    const newId = str(sys?.wa_id) ?? str(sys?.new_wa_id);
    if (newId && isPhoneDigits(newId)) {
      base.identities = [{ kind: 'wa_id', value: newId }, ...base.identities.filter((i) => i.value !== newId)];
      base.phone = newId;
    }
  }
  return base;
}

type Content = Pick<InboundMessage, 'kind' | 'text'> &
  Partial<Pick<InboundMessage, 'media' | 'replyPayload' | 'reactionTo'>>;

function content(type: string, raw: Obj): Content {
  const body = obj(raw[type]);
  if (type === 'text' && typeof body?.body === 'string') return { kind: 'text', text: body.body };
  if ((MEDIA_TYPES as readonly string[]).includes(type) && str(body?.id)) {
    const media = {
      providerMediaId: str(body!.id),
      ...(str(body!.mime_type) ? { mimeType: str(body!.mime_type) } : {}),
      ...(str(body!.sha256) ? { sha256: str(body!.sha256) } : {}),
      ...(str(body!.filename) ? { filename: str(body!.filename) } : {}),
    };
    return { kind: type as InboundKind, text: str(body!.caption) ?? null, media };
  }
  if (type === 'location' && body && num(body.latitude) !== undefined && num(body.longitude) !== undefined) {
    const label = [str(body.name), str(body.address)].filter(Boolean).join(', ');
    const coords = `(${num(body.latitude)}, ${num(body.longitude)})`;
    return { kind: 'location', text: `📍 ${label ? `${label} ${coords}` : coords}` };
  }
  if (type === 'contacts' && Array.isArray(raw.contacts)) {
    const cards = (raw.contacts as unknown[]).map((c) => {
      const card = obj(c) ?? {};
      const name = obj(card.name);
      const label =
        str(name?.formatted_name) ??
        ([str(name?.first_name), str(name?.last_name)].filter(Boolean).join(' ') || 'Contact');
      const phones = (Array.isArray(card.phones) ? card.phones : []).map((p) => str(obj(p)?.phone)).filter(Boolean);
      return phones.length ? `${label} (${phones.join(', ')})` : label;
    });
    return { kind: 'contacts', text: `👤 ${cards.join('; ') || 'Shared contact'}` };
  }
  if (type === 'interactive' && body) {
    const t = str(body.type);
    const reply = t ? obj(body[t]) : undefined;
    if ((t === 'button_reply' || t === 'list_reply') && reply && str(reply.title) !== undefined) {
      return {
        kind: 'interactive',
        text: str(reply.title)!,
        ...(str(reply.id) ? { replyPayload: str(reply.id) } : {}),
      };
    }
    if (t === 'nfm_reply' && reply) {
      return {
        kind: 'interactive',
        text: str(reply.body) ?? 'Form submitted',
        ...(str(reply.response_json) ? { replyPayload: str(reply.response_json) } : {}),
      };
    }
    return { kind: 'unsupported', text: unsupportedText(`interactive ${t ?? 'reply'}`) };
  }
  if (type === 'button' && body && (str(body.text) || str(body.payload))) {
    return {
      kind: 'interactive',
      text: str(body.text) ?? str(body.payload)!,
      ...(str(body.payload) ? { replyPayload: str(body.payload) } : {}),
    };
  }
  if (type === 'reaction' && body && str(body.message_id)) {
    return { kind: 'reaction', text: str(body.emoji) ?? null, reactionTo: str(body.message_id) };
  }
  if (type === 'system' && body) {
    return { kind: 'system', text: str(body.body) ?? `[System: ${str(body.type) ?? 'update'}]` };
  }
  if (type === 'unsupported' || type === 'unknown') {
    const err = Array.isArray(raw.errors) ? obj(raw.errors[0]) : undefined;
    const code = err?.code !== undefined ? String(err.code) : undefined;
    const detail = str(obj(err?.error_data)?.details) ?? str(err?.title) ?? (code ? cloudErrorReason(code) : undefined);
    const sub = str(obj(raw.unsupported)?.type);
    return { kind: 'unsupported', text: unsupportedText(sub ?? type, detail) };
  }
  return { kind: 'unsupported', text: unsupportedText(type) };
}

function toReferral(r: Obj | undefined): Referral | undefined {
  if (!r) return undefined;
  const out: Referral = { source: 'ctwa' };
  const set = <K extends keyof Referral>(k: K, v: unknown) => {
    const s = str(v);
    if (s) (out as unknown as Record<string, string>)[k] = s;
  };
  set('adId', r.source_id);
  set('sourceType', r.source_type);
  set('sourceUrl', r.source_url);
  set('headline', r.headline);
  set('body', r.body);
  set('mediaType', r.media_type);
  set('mediaUrl', r.image_url ?? r.video_url);
  set('thumbnailUrl', r.thumbnail_url);
  set('clickId', r.ctwa_clid);
  set('welcomeText', obj(r.welcome_message)?.text);
  return Object.keys(out).length > 1 ? out : undefined;
}

const STATUSES: readonly string[] = ['sent', 'delivered', 'read', 'failed'];

function toStatus(s: z.infer<typeof StatusItem>, receivedAt?: Date): StatusUpdate | null {
  // Other statuses (e.g. "deleted", "warning") carry nothing the inbox tracks.
  if (!STATUSES.includes(s.status)) return null;
  const update: StatusUpdate = {
    providerMessageId: s.id,
    status: s.status as DeliveryStatus,
    timestamp: providerTime(s.timestamp, receivedAt).at,
  };
  const pricing = obj((s as Obj).pricing);
  const category = str(pricing?.category)?.toLowerCase();
  if (pricing && category) {
    update.pricing = {
      category: category.slice(0, 40),
      billable: pricing.billable !== false,
      type: str(pricing.type)?.toLowerCase().slice(0, 40) ?? null,
      model: str(pricing.pricing_model)?.slice(0, 20) ?? null,
    };
  }
  if (s.status === 'failed') {
    const err = obj(s.errors?.[0]);
    const code = err?.code !== undefined ? String(err.code) : 'unknown';
    const detail = str(obj(err?.error_data)?.details) ?? str(err?.message) ?? str(err?.title);
    update.error = {
      code,
      reason:
        code === 'unknown' ? (detail ?? 'WhatsApp reported the message as failed') : cloudErrorReason(code, detail),
    };
  }
  return update;
}
