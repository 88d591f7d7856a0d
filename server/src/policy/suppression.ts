// Suppression hashes of erased contacts: a keyed hash (HMAC-SHA256 with SUPPRESSION_SECRET, kept in env or the
// data folder) of each identifier, so an erased customer is still recognised without the stored hashes being a
// lookup table (an unkeyed hash of a phone number is reversed by trying every number in well under a second).
// At start, hashes stored by older versions (unkeyed SHA-256) are re-keyed in place, and the key is checked
// against the fingerprint stored with the data, so a changed key fails loudly instead of silently forgetting
// every erased person. Must never store or log a clear identifier or the key.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { mongoSuppressionStore } from '../data/suppression.js';

const store = mongoSuppressionStore;
let key: Buffer | null = null;

/** Sets the key (server start, before anything is erased or checked). */
export function configureSuppressionKey(secret: string): void {
  key = createHmac('sha256', secret).update('parley-suppression-key').digest();
}

function currentKey(): Buffer {
  if (!key) throw new Error('suppression key not configured (configureSuppressionKey at start)');
  return key;
}

/** The unkeyed digest older versions stored (kept only as the input of the keyed hash). */
function legacyDigest(kind: string, value: string): string {
  const v = kind === 'phone' ? value.replace(/\D/g, '') : value;
  return createHash('sha256').update(`parley-suppression\n${kind}\n${v}`).digest('hex');
}

const keyed = (legacy: string) => createHmac('sha256', currentKey()).update(legacy).digest('hex');

/** The suppression hash of one identifier (kind:value, or phone:<digits>). */
export function suppressionHash(kind: string, value: string): string {
  return keyed(legacyDigest(kind, value));
}

/** True when any of these identities (or the phone) belonged to an erased contact. */
export async function isSuppressed(
  identities: Array<{ kind: string; value: string }>,
  phone?: string | null,
): Promise<boolean> {
  const hashes = identities.map((i) => suppressionHash(i.kind, i.value));
  if (phone) hashes.push(suppressionHash('phone', phone));
  if (!hashes.length) return false;
  return store.anyOf(hashes);
}

export class SuppressionKeyMismatchError extends Error {
  constructor() {
    super(
      'SUPPRESSION_SECRET does not match the key the stored suppression hashes were made with: erased contacts ' +
        'would no longer be recognised. Restore the previous SUPPRESSION_SECRET (or DATA_DIR/.suppression-secret).',
    );
    this.name = 'SuppressionKeyMismatchError';
  }
}

/**
 * Start-up: checks the key against the stored fingerprint (recording it on first use) and re-keys legacy
 * (unkeyed) hashes in place, one atomic update each (a crash half-way leaves the rest for the next start).
 * Returns how many were re-keyed.
 */
export async function prepareSuppressions(): Promise<number> {
  const fingerprint = createHmac('sha256', currentKey()).update('fingerprint').digest('hex');
  const stored = await store.keyFingerprint();
  if (stored !== null) {
    const a = Buffer.from(stored);
    const b = Buffer.from(fingerprint);
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw new SuppressionKeyMismatchError();
  } else {
    if (await store.anyKeyed()) throw new SuppressionKeyMismatchError(); // keyed hashes without a fingerprint: unknown key
    await store.saveKeyFingerprint(fingerprint);
  }
  let migrated = 0;
  for (;;) {
    const batch = await store.unkeyed(500);
    if (!batch.length) return migrated;
    for (const row of batch) if (await store.rekey(row._id, keyed(row.hash))) migrated++;
  }
}
