// Contact merges as a domain step: when one event shows that several contacts are one person (a message carrying
// a phone and a business-scoped user id known apart, a `user_id_update`), the oldest contact survives and the
// others are folded into it (data/contact-merge.ts: one atomic decision, idempotent re-pointing). Consent is
// carried over with the stricter state winning (withdrawn beats granted: a withdrawal the merged history would
// hide behind a newer grant is written again on the survivor), the merge is audited, and the changed
// conversations are published. Must never merge an erased contact and never expose an identifier in the audit.
import type { Id } from '../data/ids.js';
import { mongoContactMerge, survivorOf, type ContactMergeStore } from '../data/contact-merge.js';
import { consentState, recordConsent, type ConsentState, type ConsentValue } from '../policy/consent.js';
import { recordAudit } from '../policy/audit.js';
import { publishConversation, storesOf, type InboxDeps, type InboxStores } from './conversations.js';
import { resolveContact, type ContactInput, type ContactLean } from './contacts.js';

export interface MergeDeps extends Pick<InboxDeps, 'bus' | 'logger'> {
  merges?: ContactMergeStore;
}

const stricter = (a: ConsentValue, b: ConsentValue): ConsentValue =>
  a === 'withdrawn' || b === 'withdrawn' ? 'withdrawn' : a === 'granted' || b === 'granted' ? 'granted' : 'unknown';

/** A withdrawal one side had that the combined ledger's newest event no longer shows: recorded again. */
async function carryConsent(survivor: Id, before: ConsentState[], at: Date): Promise<void> {
  const after = await consentState(String(survivor));
  const purposes = [
    ['marketing', 'marketing'],
    ['ad_measurement', 'adMeasurement'],
  ] as const;
  for (const [purpose, key] of purposes) {
    const strict = before.map((s) => s[key]).reduce(stricter, 'unknown');
    if (strict !== 'withdrawn' || after[key] === 'withdrawn') continue;
    await recordConsent({
      contactId: String(survivor),
      purpose,
      action: 'withdrawn',
      method: 'api',
      actor: { type: 'system', name: 'contact merge' },
      note: 'Carried over from a merged contact: a withdrawal beats a grant.',
      at,
    });
  }
}

/**
 * Merges the contacts (by id) into the oldest live one and answers its id. Safe to call from concurrent events:
 * the decision for each contact is taken once; a caller that lost the decision still finishes the re-pointing.
 */
export async function mergeContacts(deps: MergeDeps, ids: Id[]): Promise<Id> {
  const store = deps.merges ?? mongoContactMerge;
  const roots = new Map<string, Id>();
  for (const id of ids) {
    const r = await store.root(id);
    roots.set(String(r), r);
  }
  const live = (await store.candidates([...roots.values()])).filter((c) => !c.mergedInto && !c.erasedAt);
  if (live.length === 0) return [...roots.values()][0];
  let survivor = live.reduce(survivorOf);
  const changed = new Map<string, Id>();
  for (const loser of live) {
    if (String(loser._id) === String(survivor._id)) continue;
    const before = [await consentState(String(survivor._id)), await consentState(String(loser._id))];
    const at = new Date();
    const decided = await store.claim(survivor._id, loser._id, at);
    // Re-point only what is (now) merged into the survivor: an erased contact, or one another merge took, is left.
    if (String(await store.root(loser._id)) !== String(survivor._id)) continue;
    for (const c of await store.repoint(survivor._id, loser._id)) changed.set(String(c), c);
    if (!decided) continue;
    await carryConsent(survivor._id, before, at);
    await recordAudit({
      actor: { type: 'system', name: 'identity link' },
      action: 'contact.merged',
      target: { type: 'contact', id: String(survivor._id) },
      details: { merged: String(loser._id) },
      at,
    });
  }
  // The survivor may itself have been merged meanwhile (a third id): what was moved onto it moves on.
  for (let hop = 0; hop < 4; hop++) {
    const top = await store.root(survivor._id);
    if (String(top) === String(survivor._id)) break;
    for (const c of await store.repoint(top, survivor._id)) changed.set(String(c), c);
    survivor = { _id: top };
  }
  for (const id of changed.values()) {
    await publishConversation(deps, id).catch((err) =>
      deps.logger.warn({ err, conversationId: String(id) }, 'could not publish a merged conversation'),
    );
  }
  return survivor._id;
}

/**
 * Resolves the customer of an inbound event and, when its strong identities belong to several contacts (or the one
 * found was merged already), merges them: answers the surviving contact as it is now.
 */
export async function resolveCustomer(
  deps: MergeDeps & { stores?: InboxStores },
  input: ContactInput,
): Promise<ContactLean> {
  const { contacts } = storesOf(deps);
  const { contact, conflicts } = await resolveContact(input, contacts);
  if (conflicts.length === 0 && !contact.mergedInto) return contact;
  const survivor = await mergeContacts(deps, [contact._id, ...conflicts]);
  const now = await contacts.get(survivor);
  if (!now) throw new Error(`merged contact ${String(survivor)} vanished`);
  return now;
}
