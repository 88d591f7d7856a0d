// The WhatsApp Cloud API normalizer: every Cloud sample payload, every message type the spec lists, statuses with
// human failure reasons, routing-key splitting, and openness to unknown types (never a throw on content).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  normalizeCloud,
  parseCloudEnvelope,
  splitCloudByRoutingKey,
} from '../../../server/src/channels/whatsapp-cloud/normalize.js';
import type { ChannelEvent, InboundMessage } from '../../../server/src/channels/adapter.js';
import { cloudValue, samplePayload } from '../../helpers/webhooks.js';

const sample = (name: string) => normalizeCloud(JSON.parse(samplePayload(name)));
const one = (
  message: Record<string, unknown>,
  contacts: unknown[] = [{ profile: { name: 'Ana' }, wa_id: '34600000000' }],
): InboundMessage => {
  const events = normalizeCloud(
    cloudValue({ contacts, messages: [{ from: '34600000000', id: 'wamid.X', timestamp: '1763900000', ...message }] }),
  );
  assert.equal(events.length, 1);
  assert.equal(events[0].type, 'message');
  return (events[0] as Extract<ChannelEvent, { type: 'message' }>).message;
};

test('sample: text from an ad → text message with wa_id identity, phone, name and a ctwa referral', () => {
  const [ev] = sample('wa-cloud-text-from-ad.json');
  assert.equal(ev.type, 'message');
  const m = (ev as Extract<ChannelEvent, { type: 'message' }>).message;
  assert.deepEqual(m.identities, [{ kind: 'wa_id', value: '34612345678' }]);
  assert.equal(m.phone, '34612345678');
  assert.equal(m.displayName, 'Lucía');
  assert.equal(m.kind, 'text');
  assert.equal(m.text, 'Hola, ¿tenéis la talla M en azul?');
  assert.equal(m.timestamp.getTime(), 1763900000_000);
  assert.deepEqual(m.referral, {
    source: 'ctwa',
    adId: '120000000000000001',
    sourceType: 'ad',
    sourceUrl: 'https://fb.me/sample1',
    headline: 'Chaqueta impermeable -20%',
    body: 'Solo esta semana',
    mediaType: 'image',
    mediaUrl: 'https://example.invalid/ad1.jpg',
    clickId: 'ARAkSAMPLEclid0001',
  });
});

test('sample: image from a username user without wa_id → wa_user_id + username identities, no phone, media id/mime/sha256/caption', () => {
  const [ev] = sample('wa-cloud-image-no-waid.json');
  const m = (ev as Extract<ChannelEvent, { type: 'message' }>).message;
  assert.deepEqual(m.identities, [
    { kind: 'wa_user_id', value: 'ES.1234567890123' },
    { kind: 'wa_username', value: 'marc.s' },
  ]);
  assert.equal(m.phone, undefined);
  assert.equal(m.username, 'marc.s');
  assert.equal(m.displayName, 'Marc');
  assert.equal(m.kind, 'image');
  assert.equal(m.text, 'Esta es la que vi');
  assert.deepEqual(m.media, { providerMediaId: '1480000000000001', mimeType: 'image/jpeg', sha256: 'c2FtcGxl' });
});

test('samples: read and failed statuses (131047 → plain reason)', () => {
  assert.deepEqual(sample('wa-cloud-status-read.json'), [
    {
      type: 'status',
      status: { providerMessageId: 'wamid.OUTSAMPLE0001', status: 'read', timestamp: new Date(1763900100_000) },
    },
  ]);
  const [f] = sample('wa-cloud-failed-131047.json');
  assert.equal(f.type, 'status');
  const s = (f as Extract<ChannelEvent, { type: 'status' }>).status;
  assert.equal(s.status, 'failed');
  assert.equal(s.error!.code, '131047');
  assert.match(
    s.error!.reason,
    /^More than 24 hours have passed since the customer's last message: only an approved template can be sent now/,
  );
});

test('media types carry id, mime, sha256, caption and filename', () => {
  for (const type of ['video', 'audio', 'sticker']) {
    const m = one({ type, [type]: { id: `id-${type}`, mime_type: 'x/y', sha256: 'abc' } });
    assert.equal(m.kind, type);
    assert.equal(m.text, null);
    assert.deepEqual(m.media, { providerMediaId: `id-${type}`, mimeType: 'x/y', sha256: 'abc' });
  }
  const d = one({
    type: 'document',
    document: { id: 'd1', mime_type: 'application/pdf', filename: 'invoice.pdf', caption: 'mine' },
  });
  assert.equal(d.kind, 'document');
  assert.equal(d.text, 'mine');
  assert.equal(d.media!.filename, 'invoice.pdf');
});

test('location, contacts, interactive replies, template buttons, reactions, system, context', () => {
  assert.equal(
    one({
      type: 'location',
      location: { latitude: 40.4168, longitude: -3.7038, name: 'Tienda Centro', address: 'Gran Vía 1, Madrid' },
    }).text,
    '📍 Tienda Centro, Gran Vía 1, Madrid (40.4168, -3.7038)',
  );
  assert.equal(one({ type: 'location', location: { latitude: 1.5, longitude: 2 } }).text, '📍 (1.5, 2)');
  const c = one({
    type: 'contacts',
    contacts: [
      { name: { formatted_name: 'Ana López' }, phones: [{ phone: '+34 600 000 001' }, { phone: '+34 600 000 002' }] },
      { name: { first_name: 'Bob' } },
    ],
  });
  assert.equal(c.kind, 'contacts');
  assert.equal(c.text, '👤 Ana López (+34 600 000 001, +34 600 000 002); Bob');
  const b = one({
    type: 'interactive',
    interactive: { type: 'button_reply', button_reply: { id: 'consent_yes', title: 'Yes, send me offers' } },
  });
  assert.deepEqual([b.kind, b.text, b.replyPayload], ['interactive', 'Yes, send me offers', 'consent_yes']);
  const l = one({
    type: 'interactive',
    interactive: { type: 'list_reply', list_reply: { id: 'size_m', title: 'M', description: 'Medium' } },
  });
  assert.deepEqual([l.text, l.replyPayload], ['M', 'size_m']);
  const t = one({ type: 'button', button: { payload: 'STOP_PROMOS', text: 'Stop promotions' } });
  assert.deepEqual([t.kind, t.text, t.replyPayload], ['interactive', 'Stop promotions', 'STOP_PROMOS']);
  const r = one({ type: 'reaction', reaction: { message_id: 'wamid.OUT1', emoji: '❤️' } });
  assert.deepEqual([r.kind, r.text, r.reactionTo], ['reaction', '❤️', 'wamid.OUT1']);
  const un = one({ type: 'reaction', reaction: { message_id: 'wamid.OUT1' } });
  assert.equal(un.text, null);
  const sys = one({
    type: 'system',
    system: {
      body: 'User A changed from 34600000000 to 34600000099',
      wa_id: '34600000099',
      type: 'user_changed_number',
    },
  });
  assert.equal(sys.kind, 'system');
  assert.match(sys.text!, /changed from/);
  assert.deepEqual(sys.identities[0], { kind: 'wa_id', value: '34600000099' }, 'the new number is the reply address');
  assert.ok(
    sys.identities.some((i) => i.value === '34600000000'),
    'the old number still finds the contact',
  );
  assert.equal(sys.phone, '34600000099');
  const ctx = one({ type: 'text', text: { body: 'this one' }, context: { from: '34910000001', id: 'wamid.PREV' } });
  assert.equal(ctx.contextMessageId, 'wamid.PREV');
});

test('referral of a video ad with thumbnail and welcome message; a Status ad without ctwa_clid', () => {
  const m = one({
    type: 'text',
    text: { body: 'hi' },
    referral: {
      source_url: 'https://fb.me/v',
      source_id: 'AD9',
      source_type: 'ad',
      headline: 'H',
      media_type: 'video',
      video_url: 'https://example.invalid/v.mp4',
      thumbnail_url: 'https://example.invalid/t.jpg',
      ctwa_clid: 'CLID',
      welcome_message: { text: 'Welcome!' },
    },
  });
  assert.equal(m.referral!.mediaUrl, 'https://example.invalid/v.mp4');
  assert.equal(m.referral!.thumbnailUrl, 'https://example.invalid/t.jpg');
  assert.equal(m.referral!.welcomeText, 'Welcome!');
  const status = one({
    type: 'text',
    text: { body: 'hi' },
    referral: { source_url: 'https://fb.me/s', source_id: 'AD10', source_type: 'ad' },
  });
  assert.equal(status.referral!.clickId, undefined);
});

test('unknown, unsupported and malformed message content → unsupported with a placeholder, never a throw', () => {
  assert.deepEqual(
    [one({ type: 'order', order: { product_items: [] } }).kind, one({ type: 'order', order: {} }).text],
    ['unsupported', '[Unsupported message type: order]'],
  );
  const u = one({ type: 'unsupported', errors: [{ code: 131051, title: 'Message type unknown' }] });
  assert.equal(u.kind, 'unsupported');
  assert.equal(u.text, '[Unsupported message type: unsupported — Message type unknown]');
  assert.equal(one({ type: 'text', text: 'not an object' }).kind, 'unsupported');
  assert.equal(one({ type: 'image', image: {} }).kind, 'unsupported');
  assert.equal(
    one({ type: 'interactive', interactive: { type: 'carousel' } }).text,
    '[Unsupported message type: interactive carousel]',
  );
  assert.equal(one({ type: 'location', location: { latitude: 'north' } }).kind, 'unsupported');
});

test('identities: wa_id first, business-scoped user_id too; never wa_id alone when a user_id is given', () => {
  const m = one({ type: 'text', text: { body: 'x' } }, [
    { profile: { name: 'Ana' }, wa_id: '34600000000', user_id: 'ES.42' },
  ]);
  assert.deepEqual(m.identities, [
    { kind: 'wa_id', value: '34600000000' },
    { kind: 'wa_user_id', value: 'ES.42' },
  ]);
  // No contacts block at all: the sender id is classified by its shape.
  const bare = normalizeCloud(
    cloudValue({ messages: [{ from: 'US.77', id: 'w1', timestamp: '1', type: 'text', text: { body: 'x' } }] }),
  );
  assert.deepEqual((bare[0] as Extract<ChannelEvent, { type: 'message' }>).message.identities, [
    { kind: 'wa_user_id', value: 'US.77' },
  ]);
});

test('statuses: unknown status names ignored; failed without errors gets a generic reason', () => {
  const ev = normalizeCloud(
    cloudValue({
      statuses: [
        { id: 'a', status: 'deleted', timestamp: '1' },
        { id: 'b', status: 'failed', timestamp: '2' },
        {
          id: 'c',
          status: 'failed',
          timestamp: '3',
          errors: [{ code: 999999, title: 'Odd', error_data: { details: 'Something odd' } }],
        },
      ],
    }),
  );
  assert.equal(ev.length, 2);
  assert.deepEqual((ev[0] as Extract<ChannelEvent, { type: 'status' }>).status.error, {
    code: 'unknown',
    reason: 'WhatsApp reported the message as failed',
  });
  assert.deepEqual((ev[1] as Extract<ChannelEvent, { type: 'status' }>).status.error, {
    code: '999999',
    reason: 'WhatsApp error 999999: Something odd',
  });
});

test('envelope: strict on object/entry/changes/metadata; other change fields carry no events', () => {
  assert.throws(() => parseCloudEnvelope({ object: 'page', entry: [] }));
  assert.throws(() => parseCloudEnvelope({ object: 'whatsapp_business_account' }));
  assert.throws(() =>
    parseCloudEnvelope({
      object: 'whatsapp_business_account',
      entry: [{ id: '1', changes: [{ field: 'messages', value: {} }] }],
    }),
  );
  // A message without a timestamp is still a message (the receive time stands in): never a broken envelope.
  assert.doesNotThrow(() => parseCloudEnvelope(cloudValue({ messages: [{ id: 'x', type: 'text' }] })));
  const template = {
    object: 'whatsapp_business_account',
    entry: [{ id: '1', changes: [{ field: 'message_template_status_update', value: { event: 'APPROVED' } }] }],
  };
  assert.deepEqual(normalizeCloud(template), []);
  assert.deepEqual(splitCloudByRoutingKey(template), []);
});

test('split by routing key: one part per phone_number_id, order kept', () => {
  const a = cloudValue({ statuses: [{ id: 's1', status: 'sent', timestamp: '1' }] }, '111') as {
    entry: Array<{ changes: unknown[] }>;
  };
  const b = cloudValue({ statuses: [{ id: 's2', status: 'sent', timestamp: '2' }] }, '222') as typeof a;
  const c = cloudValue({ statuses: [{ id: 's3', status: 'read', timestamp: '3' }] }, '111') as typeof a;
  a.entry[0].changes.push(b.entry[0].changes[0], c.entry[0].changes[0]);
  const parts = splitCloudByRoutingKey(a);
  assert.deepEqual(
    parts.map((p) => p.routingKey),
    ['111', '222'],
  );
  const ids = (p: (typeof parts)[number]) =>
    normalizeCloud(p.payload).map((e) => (e as Extract<ChannelEvent, { type: 'status' }>).status.providerMessageId);
  assert.deepEqual(ids(parts[0]), ['s1', 's3']);
  assert.deepEqual(ids(parts[1]), ['s2']);
});

test('status pricing → category (lowercased), billable, type and model; a status without pricing has none', () => {
  const [e] = normalizeCloud(
    cloudValue({
      statuses: [
        {
          id: 'wamid.P1',
          status: 'sent',
          timestamp: '1763900000',
          recipient_id: '34600000000',
          pricing: { billable: false, pricing_model: 'PMP', category: 'MARKETING', type: 'free_entry_point' },
        },
      ],
    }),
  );
  assert.equal(e.type, 'status');
  if (e.type !== 'status') return;
  assert.deepEqual(e.status.pricing, {
    category: 'marketing',
    billable: false,
    type: 'free_entry_point',
    model: 'PMP',
  });
  const [plain] = normalizeCloud(
    cloudValue({
      statuses: [{ id: 'wamid.P2', status: 'read', timestamp: '1763900000', recipient_id: '34600000000' }],
    }),
  );
  assert.equal(plain.type === 'status' ? plain.status.pricing : 'x', undefined);
});

test('display numbers of a part: metadata.display_phone_number once each, malformed ones dropped', async () => {
  const { displayNumbersOf } = await import('../../../server/src/channels/whatsapp-cloud/normalize.js');
  const body = JSON.parse(samplePayload('wa-cloud-text-from-ad.json'));
  assert.deepEqual(displayNumbersOf(parseCloudEnvelope(body)), ['34910000001']);
  body.entry[0].changes[0].value.metadata.display_phone_number = 'call us';
  assert.deepEqual(displayNumbersOf(parseCloudEnvelope(body)), []);
});
