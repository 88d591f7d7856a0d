// Contact resolution for inbound events: a customer is found by ANY of the identities the provider gave (wa_id,
// business-scoped user_id, page-scoped PSID, …) through the unique contact_identities lookup, new identities are
// linked to the contact found, and phone / display name are refreshed. Race-safe across processes: duplicate-key
// errors mean "someone else just created it" and lead to a re-read. A known business-scoped user id (BSUID) decides
// first, then the first strong id; a contact that already has a different BSUID is another WhatsApp account (a
// recycled number): it is never merged, and the shared id (the phone) moves to this customer. Weak identities
// (usernames) are kept and point at their latest holder but never decide the contact. When the strong identities of
// one event belong to several contacts, those are answered as `conflicts` (contact-merge.ts merges them). Must never
// key a contact on wa_id alone, never merge contacts itself, and never expose anything (views.ts does the masking).
import { WEAK_IDENTITY_KINDS, type ContactIdentity } from '../channels/adapter.js';
import {
  isDuplicateKey,
  mongoContacts,
  type ContactLean,
  type ContactStore,
  type IdentityKey,
} from '../data/contacts.js';
import { newId, type Id } from '../data/ids.js';
import { randomHandle } from './handles.js';

export type { ContactLean };

export interface ContactInput {
  identities: ContactIdentity[];
  phone?: string;
  displayName?: string;
  username?: string;
  seenAt: Date;
}

export interface ResolvedContact {
  contact: ContactLean;
  created: boolean;
  /** Other contacts this event's strong identities already belong to: the same person, to be merged. */
  conflicts: Id[];
}

export async function resolveContact(
  input: ContactInput,
  contacts: ContactStore = mongoContacts,
): Promise<ResolvedContact> {
  const strong = input.identities.filter((i) => !WEAK_IDENTITY_KINDS.has(i.kind));
  const weak = input.identities.filter((i) => WEAK_IDENTITY_KINDS.has(i.kind));
  if (strong.length === 0) throw new Error('inbound event without any sender identity');
  let contactId: Id | null = null;
  let created = false;
  let known: Array<{ kind: string; value: string; contactId: Id }> = [];
  // Business-scoped user ids identify one WhatsApp account: they decide first (BSUID first, phone second), and a
  // contact that already has a different one is another account (a recycled number): never merged with this one.
  const bsuids = strong.filter((i) => i.kind === 'wa_user_id').map((i) => i.value);
  const foreignCache = new Map<string, boolean>();
  const isForeign = async (id: Id): Promise<boolean> => {
    if (bsuids.length === 0) return false;
    const key = String(id);
    if (!foreignCache.has(key)) {
      const c = await contacts.byId(id);
      foreignCache.set(
        key,
        (c?.identities ?? []).some((i) => i.kind === 'wa_user_id' && !bsuids.includes(i.value)),
      );
    }
    return foreignCache.get(key)!;
  };
  const hitOf = (id: ContactIdentity) => known.find((k) => k.kind === id.kind && k.value === id.value);
  for (let attempt = 0; attempt < 5 && !contactId; attempt++) {
    // One equality lookup per identity (served by the unique {kind, value} index; an $or would scan).
    const found = await Promise.all(input.identities.map((i) => contacts.identity({ kind: i.kind, value: i.value })));
    known = found.filter((k): k is NonNullable<typeof k> => k !== null);
    // A known BSUID decides; else the strong identity listed first (the reply address) — unless that contact is
    // another WhatsApp account.
    const decider =
      strong
        .filter((i) => i.kind === 'wa_user_id')
        .map(hitOf)
        .find(Boolean) ?? strong.map(hitOf).find(Boolean);
    if (decider && (decider.kind === 'wa_user_id' || !(await isForeign(decider.contactId)))) {
      contactId = decider.contactId;
      break;
    }
    const fresh = newId();
    // A new customer is claimed by its BSUID when it has one (the phone may still point at the number's old owner).
    const first = strong.find((i) => i.kind === 'wa_user_id') ?? strong[0];
    // 'duplicate': a concurrent event claimed this identity first: read it again.
    if ((await contacts.claimIdentity({ kind: first.kind, value: first.value, contactId: fresh })) !== 'duplicate') {
      known = [
        ...known.filter((k) => k.kind !== first.kind || k.value !== first.value),
        { ...first, contactId: fresh },
      ];
      contactId = fresh;
      created = true;
    }
  }
  if (!contactId) throw new Error('could not resolve the contact (identity kept changing)');
  const owner = contactId;
  const conflicts = new Map<string, Id>();
  const conflict = async (id: Id, row?: IdentityKey) => {
    if (String(id) === String(owner)) return;
    // Another WhatsApp account (a different BSUID): its shared identity (the phone) now belongs to this customer.
    if (await isForeign(id)) {
      if (row && row.kind !== 'wa_user_id') await contacts.moveIdentity({ ...row, contactId: owner });
      return;
    }
    conflicts.set(String(id), id);
  };
  for (const k of known) if (!WEAK_IDENTITY_KINDS.has(k.kind)) await conflict(k.contactId, k);
  // Rows moved to this contact above are known to it now.
  known = known.map((k) => (WEAK_IDENTITY_KINDS.has(k.kind) ? k : { ...k, contactId: owner }));

  // Link strong identities this contact was not known by yet; one linked meanwhile to another contact is a conflict.
  for (const id of strong) {
    if (known.some((k) => k.kind === id.kind && k.value === id.value)) continue;
    if (await contacts.linkIdentity({ kind: id.kind, value: id.value, contactId: owner })) continue;
    const now = await contacts.identity({ kind: id.kind, value: id.value });
    if (now) await conflict(now.contactId, now);
  }
  // Weak identities (usernames) point at their latest holder; they never decide who the customer is.
  for (const id of weak) {
    const k = known.find((x) => x.kind === id.kind && x.value === id.value);
    if (!k || String(k.contactId) !== String(owner))
      await contacts.moveIdentity({ kind: id.kind, value: id.value, contactId: owner });
  }

  const set: Record<string, unknown> = { lastSeenAt: input.seenAt };
  if (input.phone) set.phone = input.phone;
  if (input.displayName) set.displayName = input.displayName.slice(0, 200);
  if (input.username) set.username = input.username.slice(0, 100);
  const identities = input.identities.map((i) => ({ kind: i.kind, value: i.value }));
  const result = (contact: ContactLean): ResolvedContact => ({ contact, created, conflicts: [...conflicts.values()] });
  if (!created) {
    // The usual case, a known customer: batched read + update, the contact as it is after the update.
    // Read and update at once: the merge below gives the same answer whichever lands first.
    const [existing] = await Promise.all([contacts.byId(owner), contacts.refresh(owner, set, identities)]);
    if (existing) {
      const have = existing.identities ?? [];
      const more = identities.filter((i) => !have.some((h) => h.kind === i.kind && h.value === i.value));
      return result({ ...existing, ...set, identities: [...have, ...more] } as ContactLean);
    }
  }
  for (let attempt = 0; ; attempt++) {
    try {
      // Upsert by id: the contact may not exist yet when we (or a concurrent event) just created the identity row.
      // The handle is only given to the one that inserts.
      await contacts.upsert(owner, set, identities, randomHandle());
      const contact = await contacts.byId(owner);
      if (!contact) throw new Error(`contact ${String(owner)} vanished while it was being resolved`);
      return result(contact);
    } catch (err) {
      // A handle collision (retry with another one) or a concurrent insert of the same _id (now an update).
      if (!isDuplicateKey(err) || attempt >= 8) throw err;
    }
  }
}
