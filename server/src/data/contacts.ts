// The contact store: customers (contacts) and the identities they are known by (contact_identities, unique
// {kind, value}). The inbound hot path's calls are coalesced here — identity lookups ($in per kind), identity
// inserts (one `insert`), contact reads ($in) and updates (one ordered `update`) of the same event-loop turn go as
// one command — and answer each caller with its own result. Records leave as plain lean objects. Must never merge
// two contacts (contact-merge.ts does, on purpose), never turn one caller's duplicate key into another caller's
// failure, and never be bypassed by domain code reaching for the models.
import { batchedInserts, batchedUpdates, updateCommand } from './batched-model.js';
import { BATCH, byId, grouped } from './batch-helpers.js';
import { coalesce } from './coalesce.js';
import { isDuplicateKey } from './errors.js';
import type { Id } from './ids.js';
import { ContactIdentityModel } from '../models/contact-identity.js';
import { ContactModel, type ContactRecord } from '../models/contact.js';

export type { ContactRecord };
export type ContactLean = ContactRecord & { _id: Id };
export type IdentityRow = { kind: string; value: string; contactId: Id };
export type IdentityKey = { kind: string; value: string };

export { isDuplicateKey };

export interface ContactStore {
  /** The identity row of one identity, or null. */
  identity(key: IdentityKey): Promise<IdentityRow | null>;
  /** Claims an identity for a (new) contact id; 'duplicate' when someone linked it already. */
  claimIdentity(row: IdentityRow): Promise<'claimed' | 'duplicate'>;
  /** Links one more identity to a contact; false when it is linked already (to this or another contact). */
  linkIdentity(row: IdentityRow): Promise<boolean>;
  /** Points a weak identity (a username) at this contact, wherever it pointed before (its latest holder). */
  moveIdentity(row: IdentityRow): Promise<void>;
  /** A contact by id, or null (coalesced: the inbound path's read). */
  byId(id: Id): Promise<ContactLean | null>;
  /** A contact by id, or null (one findOne: the outbound path's read). */
  get(id: Id | string): Promise<ContactLean | null>;
  /** Contacts by ids (one $in read); missing ones are left out. */
  many(ids: string[]): Promise<ContactLean[]>;
  /** $set fields (updatedAt stamped) and add identities on an existing contact. */
  refresh(id: Id, set: Record<string, unknown>, identities: IdentityKey[]): Promise<void>;
  /**
   * Creates-or-updates a contact by id: `set` and identities always, `handle` only when it inserts. Rejects with a
   * duplicate-key error (isDuplicateKey) on a handle collision: pick another handle and retry.
   */
  upsert(id: Id, set: Record<string, unknown>, identities: IdentityKey[], handle: string): Promise<void>;
}

const findIdentity = grouped<IdentityKey, IdentityRow | null>(
  (i) => i.kind,
  async (group) => {
    const rows = await ContactIdentityModel.collection
      .find<IdentityRow>(
        { kind: group[0].kind, value: { $in: group.map((g) => g.value) } },
        { projection: { kind: 1, value: 1, contactId: 1 }, batchSize: BATCH },
      )
      .toArray();
    const by = new Map(rows.map((r) => [r.value, r as IdentityRow]));
    return new Map(group.map((g) => [g, by.get(g.value) ?? null]));
  },
);

const insertIdentity = batchedInserts(ContactIdentityModel);
const upsertContact = batchedUpdates(ContactModel);
const findContact = byId<ContactLean>(ContactModel);

const updateContact = coalesce<{ id: Id; set: Record<string, unknown>; identities: IdentityKey[] }, true>(
  async (items) => {
    // Values are typed already: the hot path skips mongoose's per-op casting.
    const updatedAt = new Date();
    await updateCommand(
      ContactModel,
      items.map((i) => ({
        q: { _id: i.id },
        u: {
          $set: { ...i.set, updatedAt },
          $addToSet: { identities: { $each: i.identities.map((x) => ({ kind: x.kind, value: x.value })) } },
        },
      })),
      true,
    );
    return items.map(() => true as const);
  },
);

export const mongoContacts: ContactStore = {
  identity: (key) => findIdentity({ kind: key.kind, value: key.value }),
  async claimIdentity(row) {
    return (await insertIdentity({ kind: row.kind, value: row.value, contactId: row.contactId })) === 'duplicate'
      ? 'duplicate'
      : 'claimed';
  },
  async linkIdentity(row) {
    try {
      await ContactIdentityModel.create({ kind: row.kind, value: row.value, contactId: row.contactId });
      return true;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      return false;
    }
  },
  async moveIdentity(row) {
    await ContactIdentityModel.updateOne(
      { kind: row.kind, value: row.value },
      { $set: { contactId: row.contactId } },
      { upsert: true },
    ).catch((err: unknown) => {
      if (!isDuplicateKey(err)) throw err; // a concurrent upsert of the same row: it exists now, pointing at one of us
    });
  },
  byId: (id) => findContact(id),
  get: async (id) => (await ContactModel.findById(id).lean()) as ContactLean | null,
  many: async (ids) => (await ContactModel.find({ _id: { $in: ids } }).lean()) as ContactLean[],
  refresh: async (id, set, identities) => {
    await updateContact({ id, set, identities });
  },
  upsert: (id, set, identities, handle) =>
    upsertContact({
      filter: { _id: id },
      // $setOnInsert only applies to the one that inserts.
      update: { $set: set, $addToSet: { identities: { $each: identities } }, $setOnInsert: { handle } },
      upsert: true,
    }),
};
