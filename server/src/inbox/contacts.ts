// Contact resolution for inbound events: a customer is found by ANY of the identities the provider gave (wa_id,
// business-scoped user_id, page-scoped PSID, …) through the unique contact_identities lookup, new identities are
// linked to the contact found, and phone / display name are refreshed. Race-safe across processes: duplicate-key
// errors mean "someone else just created it" and lead to a re-read. Must never key a contact on wa_id alone, never
// merge two existing contacts, and never expose anything (views.ts does the masking).
import type { ContactIdentity } from '../channels/adapter.js';
import { isDuplicateKey, mongoContacts, type ContactLean, type ContactStore } from '../data/contacts.js';
import { newId, type Id } from '../data/ids.js';
import { randomHandle } from './handles.js';

export type { ContactLean };

export interface ContactInput {
  identities: ContactIdentity[];
  phone?: string;
  displayName?: string;
  seenAt: Date;
}

export async function resolveContact(
  input: ContactInput,
  contacts: ContactStore = mongoContacts,
): Promise<{ contact: ContactLean; created: boolean }> {
  if (input.identities.length === 0) throw new Error('inbound event without any sender identity');
  let contactId: Id | null = null;
  let created = false;
  let known: Array<{ kind: string; value: string; contactId: Id }> = [];
  for (let attempt = 0; attempt < 5 && !contactId; attempt++) {
    // One equality lookup per identity (served by the unique {kind, value} index; an $or would scan).
    const found = await Promise.all(input.identities.map((i) => contacts.identity({ kind: i.kind, value: i.value })));
    known = found.filter((k): k is NonNullable<typeof k> => k !== null);
    // The identity listed first (the reply address) wins when they point at different contacts.
    for (const id of input.identities) {
      const hit = known.find((k) => k.kind === id.kind && k.value === id.value);
      if (hit) {
        contactId = hit.contactId;
        break;
      }
    }
    if (contactId) break;
    const fresh = newId();
    const first = input.identities[0];
    // 'duplicate': a concurrent event claimed this identity first: read it again.
    if ((await contacts.claimIdentity({ kind: first.kind, value: first.value, contactId: fresh })) !== 'duplicate') {
      known = [{ ...first, contactId: fresh }];
      contactId = fresh;
      created = true;
    }
  }
  if (!contactId) throw new Error('could not resolve the contact (identity kept changing)');

  // Link identities this contact was not known by yet. One already linked to another contact stays there.
  for (const id of input.identities) {
    if (known.some((k) => k.kind === id.kind && k.value === id.value)) continue;
    await contacts.linkIdentity({ kind: id.kind, value: id.value, contactId });
  }

  const set: Record<string, unknown> = { lastSeenAt: input.seenAt };
  if (input.phone) set.phone = input.phone;
  if (input.displayName) set.displayName = input.displayName.slice(0, 200);
  const identities = input.identities.map((i) => ({ kind: i.kind, value: i.value }));
  if (!created) {
    // The usual case, a known customer: batched read + update, the contact as it is after the update.
    // Read and update at once: the merge below gives the same answer whichever lands first.
    const [existing] = await Promise.all([contacts.byId(contactId), contacts.refresh(contactId, set, identities)]);
    if (existing) {
      const have = existing.identities ?? [];
      const more = identities.filter((i) => !have.some((h) => h.kind === i.kind && h.value === i.value));
      return { contact: { ...existing, ...set, identities: [...have, ...more] } as ContactLean, created };
    }
  }
  for (let attempt = 0; ; attempt++) {
    try {
      // Upsert by id: the contact may not exist yet when we (or a concurrent event) just created the identity row.
      // The handle is only given to the one that inserts.
      await contacts.upsert(contactId, set, identities, randomHandle());
      const contact = await contacts.byId(contactId);
      if (!contact) throw new Error(`contact ${String(contactId)} vanished while it was being resolved`);
      return { contact, created };
    } catch (err) {
      // A handle collision (retry with another one) or a concurrent insert of the same _id (now an update).
      if (!isDuplicateKey(err) || attempt >= 8) throw err;
    }
  }
}
