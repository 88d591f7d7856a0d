// Identities without phone numbers, per normalizer, from realistic payloads that carry no wa_id at all: WhatsApp
// Cloud messages from a business-scoped user id (BSUID) with a username, a message carrying a phone and a BSUID
// (the link that merges), `user_id_update`, Messenger PSIDs and whatsapp-web `@lid` senders; malformed
// `user_id_update` values are refused naming the field; the username mask.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  normalizeCloud,
  parseCloudEnvelope,
  splitCloudByRoutingKey,
} from '../../../server/src/channels/whatsapp-cloud/normalize.js';
import { normalizeMessenger } from '../../../server/src/channels/messenger/normalize.js';
import { normalizeWweb } from '../../../server/src/channels/whatsapp-web/normalize.js';
import { snapshotOf } from '../../../server/src/channels/whatsapp-web/snapshot.js';
import type { ChannelEvent } from '../../../server/src/channels/adapter.js';
import { maskUsername } from '../../../server/src/policy/masking.js';
import { samplePayload } from '../../helpers/webhooks.js';
import { createFakeWweb, rawMessage } from '../../fakes/wweb-client.js';

const sample = (name: string) => JSON.parse(samplePayload(name));

test('Cloud: a BSUID sender with a username and no wa_id → user id first (reply address), parent id, username; no phone', () => {
  const raw = samplePayload('wa-cloud-text-bsuid-username.json');
  assert.ok(!raw.includes('wa_id') && !raw.includes('"from"'), 'the fixture carries no phone at all');
  const [e] = normalizeCloud(JSON.parse(raw));
  assert.equal(e.type, 'message');
  if (e.type !== 'message') return;
  assert.deepEqual(e.message.identities, [
    { kind: 'wa_user_id', value: 'ES.7301225599471203' },
    { kind: 'wa_parent_user_id', value: 'ES.ENT.11815799212886844830' },
    { kind: 'wa_username', value: 'marta.viaja' },
  ]);
  assert.equal(e.message.phone, undefined);
  assert.equal(e.message.username, 'marta.viaja');
  assert.equal(e.message.displayName, 'Marta');
  assert.equal(e.message.text, 'Hola, ¿hacéis envíos a Canarias?');
});

test('Cloud: a message carrying both a phone and a BSUID lists both strong ids (the link that merges contacts)', () => {
  const [e] = normalizeCloud(sample('wa-cloud-text-phone-and-bsuid.json'));
  if (e.type !== 'message') return assert.fail('expected a message');
  assert.deepEqual(
    e.message.identities.map((i) => i.kind),
    ['wa_id', 'wa_user_id', 'wa_username'],
  );
  assert.equal(e.message.phone, '34611223344');
});

test('Cloud: user_id_update → one identity link (phone, previous and current user id, username), routed by phone number id', () => {
  const body = sample('wa-cloud-user-id-update.json');
  assert.deepEqual(
    splitCloudByRoutingKey(body).map((p) => p.routingKey),
    ['109400000000001'],
  );
  const events = normalizeCloud(body);
  assert.equal(events.length, 1);
  const e = events[0] as Extract<ChannelEvent, { type: 'identity_link' }>;
  assert.equal(e.type, 'identity_link');
  assert.deepEqual(e.link.identities, [
    { kind: 'wa_id', value: '34611223344' },
    { kind: 'wa_user_id', value: 'ES.7301225599471203' },
    { kind: 'wa_user_id', value: 'ES.9902817733645510' },
    { kind: 'wa_username', value: 'marta.viaja' },
  ]);
  assert.equal(e.link.timestamp.getTime(), 1763901000_000);
  assert.equal(e.link.phone, '34611223344');
});

test('Cloud: a user_id_update without its current id is refused, the error naming the field', () => {
  const body = sample('wa-cloud-user-id-update.json');
  delete body.entry[0].changes[0].value.user_id_update[0].user_id.current;
  assert.throws(
    () => parseCloudEnvelope(body),
    (err: Error & { issues?: Array<{ path: unknown[] }> }) =>
      err.issues?.some((i) => i.path.join('.') === 'entry.0.changes.0.value.user_id_update.0.user_id.current') ?? false,
  );
});

test('Messenger: the sample ad referral sender is keyed by page-scoped PSID only', () => {
  const events = normalizeMessenger(sample('messenger-ad-referral.json'));
  assert.ok(events.length > 0);
  for (const e of events) {
    const ids = e.type === 'message' ? e.message.identities : e.type === 'referral' ? e.referral.identities : [];
    assert.ok(ids.length > 0);
    for (const i of ids) assert.equal(i.kind, 'psid');
    if (e.type === 'message') assert.equal(e.message.phone, undefined);
  }
});

test('whatsapp-web: an @lid sender WhatsApp does not resolve to a phone → the lid alone, no phone', () => {
  const f = createFakeWweb();
  const [e] = normalizeWweb({
    v: 1,
    type: 'message',
    message: snapshotOf(f.message(rawMessage({ from: '998877665544@lid' }))),
  });
  if (e.type !== 'message') return assert.fail('expected a message');
  assert.deepEqual(e.message.identities, [{ kind: 'wweb_lid', value: '998877665544@lid' }]);
  assert.equal(e.message.phone, undefined);
});

test('usernames are masked to a handle: "@" and the first two characters', () => {
  assert.equal(maskUsername('marta.viaja'), '@ma•••');
  assert.equal(maskUsername('@marta.viaja'), '@ma•••');
  assert.equal(maskUsername('ab'), '@a•••');
  assert.equal(maskUsername(null), null);
  assert.equal(maskUsername('  '), null);
});
