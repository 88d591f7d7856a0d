// WhatsApp Cloud API webhook fields about a customer rather than a message, addressed to one phone number
// (metadata.phone_number_id): `user_id_update` (the customer's business-scoped user id changed: the phone and the
// previous and current ids are one person) and `user_preferences` (the customer stopped or resumed marketing
// messages inside WhatsApp). Strict where Parley acts on a value (a malformed entry throws, so the webhook answers
// 400 naming the field), open to categories and values it does not know (ignored). Must never touch models and
// never key a contact on wa_id alone.
import { z } from 'zod';
import type { ContactIdentity, IdentityLink, MarketingPreference } from '../adapter.js';
import { providerTime } from '../timestamps.js';

const Metadata = z.looseObject({ display_phone_number: z.string().optional(), phone_number_id: z.string().min(1) });
const id = z.string().min(1);

const PreferenceItem = z
  .looseObject({
    wa_id: id.optional(),
    user_id: id.optional(),
    parent_user_id: id.optional(),
    category: z.string().min(1),
    value: z.string().min(1),
    detail: z.string().optional(),
    timestamp: z.unknown().optional(),
  })
  .refine((p) => p.wa_id || p.user_id, { message: 'needs a wa_id or a user_id', path: ['user_id'] });
export const UserPreferencesValueSchema = z.looseObject({
  metadata: Metadata,
  user_preferences: z.array(PreferenceItem).min(1),
});

const IdPair = z.looseObject({ previous: id.optional(), current: id });
const UserIdUpdateItem = z.looseObject({
  wa_id: id.optional(),
  detail: z.string().optional(),
  user_id: IdPair,
  parent_user_id: z.looseObject({ previous: id.optional(), current: id.optional() }).optional(),
  timestamp: z.unknown().optional(),
});
const ContactItem = z.looseObject({
  wa_id: id.optional(),
  user_id: id.optional(),
  profile: z.looseObject({ name: z.string().optional(), username: z.string().optional() }).optional(),
});
export const UserIdUpdateValueSchema = z.looseObject({
  metadata: Metadata,
  contacts: z.array(ContactItem).optional(),
  user_id_update: z.array(UserIdUpdateItem).min(1),
});

/** Fields of this file, with the schema their `value` must match. */
export const ACCOUNT_EVENT_FIELDS = {
  user_preferences: UserPreferencesValueSchema,
  user_id_update: UserIdUpdateValueSchema,
} as const;

const isPhoneDigits = (v: string) => /^\d{6,15}$/.test(v);

function identities(parts: Array<[ContactIdentity['kind'], string | undefined]>): ContactIdentity[] {
  const out: ContactIdentity[] = [];
  for (const [kind, value] of parts)
    if (value && !out.some((i) => i.kind === kind && i.value === value)) out.push({ kind, value });
  return out;
}

/** `user_preferences` → one preference per marketing stop/resume (other categories and values are ignored). */
export function preferencesOf(entryId: string, value: unknown, receivedAt?: Date): MarketingPreference[] {
  const v = UserPreferencesValueSchema.parse(value);
  const out: MarketingPreference[] = [];
  for (const p of v.user_preferences) {
    if (p.category !== 'marketing_messages' || (p.value !== 'stop' && p.value !== 'resume')) continue;
    const phone = p.wa_id && isPhoneDigits(p.wa_id) ? p.wa_id : undefined;
    const time = providerTime(p.timestamp, receivedAt);
    out.push({
      identities: identities([
        ['wa_id', phone],
        ['wa_user_id', p.user_id],
        ['wa_parent_user_id', p.parent_user_id],
      ]),
      ...(phone ? { phone } : {}),
      value: p.value,
      timestamp: time.at,
      evidenceId: `user_preferences:${entryId}:${v.metadata.phone_number_id}:${p.user_id ?? p.wa_id}:${String(
        p.timestamp ?? '',
      )}:${p.value}`,
      ...(p.detail ? { detail: p.detail.slice(0, 200) } : {}),
    });
  }
  return out;
}

/** `user_id_update` → one link per update: the phone (when given), the previous and the current user id. */
export function identityLinksOf(value: unknown, receivedAt?: Date): IdentityLink[] {
  const v = UserIdUpdateValueSchema.parse(value);
  return v.user_id_update.map((u) => {
    const contact = v.contacts?.find((c) => (u.wa_id && c.wa_id === u.wa_id) || c.user_id === u.user_id.current);
    const phone = u.wa_id && isPhoneDigits(u.wa_id) ? u.wa_id : undefined;
    const username = contact?.profile?.username;
    const name = contact?.profile?.name;
    return {
      // Known ids first (they find the contact), the new one last.
      identities: identities([
        ['wa_id', phone],
        ['wa_user_id', u.user_id.previous],
        ['wa_user_id', u.user_id.current],
        ['wa_parent_user_id', u.parent_user_id?.previous],
        ['wa_parent_user_id', u.parent_user_id?.current],
        ['wa_username', username],
      ]),
      timestamp: providerTime(u.timestamp, receivedAt).at,
      ...(phone ? { phone } : {}),
      ...(username ? { username } : {}),
      ...(name ? { displayName: name } : {}),
    };
  });
}
