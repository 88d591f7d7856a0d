// Suppression hashes are keyed: an erased customer is still recognised, but the stored hashes are not a lookup
// table (the unkeyed digest of their number is nowhere in the database); hashes stored by older versions are
// re-keyed at start; a start with another key than the stored hashes were made with is refused.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { SuppressionModel } from '../../../server/src/models/suppression.js';
import {
  configureSuppressionKey,
  isSuppressed,
  prepareSuppressions,
  SuppressionKeyMismatchError,
} from '../../../server/src/policy/suppression.js';
import { startWorld, waCustomerWrites, type World } from '../../helpers/world.js';

let w: World;
before(async () => {
  w = await startWorld();
});
after(async () => {
  configureSuppressionKey(w.srv.server.config.SUPPRESSION_SECRET);
  await w?.close();
});

const unkeyed = (kind: string, value: string) =>
  createHash('sha256').update(`parley-suppression\n${kind}\n${value}`).digest('hex');

test('an erased customer is recognised, and no stored hash can be reversed without the key', async () => {
  const waId = '34612349901';
  const { contactId } = await waCustomerWrites(w, waId);
  assert.equal((await w.admin.request('DELETE', `/api/contacts/${contactId}`)).status, 204);
  assert.equal(await isSuppressed([], waId), true);
  assert.equal(await isSuppressed([{ kind: 'wa_id', value: waId }]), true);
  assert.equal(await isSuppressed([], '34612349902'), false);
  // What an attacker with a database dump would compute for every number: none of it is stored.
  const rows = await SuppressionModel.find({ contactId }).lean();
  assert.ok(rows.length >= 2);
  for (const r of rows) assert.equal(r.keyed, true);
  const stored = new Set(rows.map((r) => r.hash));
  for (const guess of [unkeyed('phone', waId), unkeyed('wa_id', waId), waId]) assert.ok(!stored.has(guess));
});

test('hashes of an older version are re-keyed at start and still match; a different key is refused', async () => {
  const phone = '34612349955';
  await SuppressionModel.collection.insertOne({
    hash: unkeyed('phone', phone),
    erasedAt: new Date(),
    contactId: null,
  });
  assert.equal(await isSuppressed([], phone), false, 'not matched before the migration');
  assert.equal(await prepareSuppressions(), 1);
  assert.equal(await isSuppressed([], phone), true);
  assert.equal(await SuppressionModel.exists({ hash: unkeyed('phone', phone) }), null);
  assert.equal(await prepareSuppressions(), 0, 'idempotent');

  configureSuppressionKey('a-completely-different-secret-of-40-chars!');
  const before = await SuppressionModel.find().sort({ _id: 1 }).lean();
  await assert.rejects(prepareSuppressions(), SuppressionKeyMismatchError);
  assert.deepEqual(await SuppressionModel.find().sort({ _id: 1 }).lean(), before, 'nothing changed');
  configureSuppressionKey(w.srv.server.config.SUPPRESSION_SECRET);
});
