// whatsapp-web mapping: real library Messages (NoAuth client, raw sample data) → snapshot → ChannelEvents.
// Text with ctwaContext, @c.us and @lid ids (never rebuilt), groups/status ignored, media, location, vcard,
// revoked, acks → statuses, and the adapter's send/fetchMedia on a stubbed live client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeWweb, ackToStatus } from '../../../server/src/channels/whatsapp-web/normalize.js';
import { resolveOtherId, snapshotOf } from '../../../server/src/channels/whatsapp-web/snapshot.js';
import { createWhatsappWebAdapter } from '../../../server/src/channels/whatsapp-web/index.js';
import { createFakeWweb, rawMessage, RAW_SAMPLE } from '../../fakes/wweb-client.js';

const events = (raw: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
  const f = createFakeWweb();
  return normalizeWweb({ v: 1, type: 'message', message: { ...snapshotOf(f.message(raw)), ...extra } });
};

test('the sample message maps to a text message with push name, phone, exact chat id and a ctwa referral', () => {
  const f = createFakeWweb();
  const [e] = normalizeWweb(
    JSON.parse(JSON.stringify({ v: 1, type: 'message', message: snapshotOf(f.message(RAW_SAMPLE)) })),
  );
  assert.equal(e.type, 'message');
  if (e.type !== 'message') return;
  const m = e.message;
  assert.equal(m.providerMessageId, 'false_34699111222@c.us_3EB0SAMPLE0001');
  assert.deepEqual(m.identities, [{ kind: 'wweb_id', value: '34699111222@c.us' }]);
  assert.equal(m.phone, '34699111222');
  assert.equal(m.displayName, 'Jorge');
  assert.equal(m.kind, 'text');
  assert.equal(m.text, RAW_SAMPLE.body);
  assert.equal(m.timestamp.getTime(), RAW_SAMPLE.t * 1000);
  assert.deepEqual(m.referral, {
    source: 'ctwa',
    sourceUrl: 'https://fb.me/sample2',
    headline: 'Zapatillas trail',
    body: 'Envío gratis',
    sourceType: 'FB_Ads',
    mediaType: 'image',
  });
});

test('@lid senders keep the lid as the first (reply) identity; a resolved phone id is added, never rebuilt', async () => {
  const f = createFakeWweb();
  f.lids.set('112233445566@lid', { lid: '112233445566@lid', pn: '34600111222@c.us' });
  const snap = await resolveOtherId(
    snapshotOf(f.message(rawMessage({ from: '112233445566@lid' }))),
    f.client.getContactLidAndPhone,
  );
  const [e] = normalizeWweb({ v: 1, type: 'message', message: snap });
  assert.equal(e.type, 'message');
  if (e.type !== 'message') return;
  assert.deepEqual(e.message.identities, [
    { kind: 'wweb_lid', value: '112233445566@lid' },
    { kind: 'wweb_id', value: '34600111222@c.us' },
  ]);
  assert.equal(e.message.phone, '34600111222');

  // Unresolvable lid: stored as is, no phone.
  const bare = await resolveOtherId(snapshotOf(f.message(rawMessage({ from: '999@lid' }))), async () => {
    throw new Error('browser busy');
  });
  const [e2] = normalizeWweb({ v: 1, type: 'message', message: bare });
  assert.ok(e2.type === 'message');
  if (e2.type !== 'message') return;
  assert.deepEqual(e2.message.identities, [{ kind: 'wweb_lid', value: '999@lid' }]);
  assert.equal(e2.message.phone, undefined);
});

test('groups, status@broadcast and own messages yield nothing', () => {
  assert.deepEqual(events(rawMessage({ from: '1203630@g.us', author: '34699111222@c.us' })), []);
  assert.deepEqual(events(rawMessage({ from: 'status@broadcast', isStatusV3: true })), []);
  const f = createFakeWweb();
  const own = snapshotOf(
    f.message({ ...rawMessage(), id: { fromMe: true, remote: 'x@c.us', id: 'A', _serialized: 'true_x@c.us_A' } }),
  );
  assert.deepEqual(normalizeWweb({ v: 1, type: 'message', message: own }), []);
});

test('media, location, vcard, revoked and unknown types map to their kinds', () => {
  const [img] = events(
    rawMessage({ type: 'image', body: '', caption: 'foto', directPath: '/v/t62', mimetype: 'image/jpeg' }),
  );
  assert.ok(img.type === 'message');
  if (img.type === 'message') {
    assert.equal(img.message.kind, 'image');
    assert.equal(img.message.text, 'foto');
    assert.deepEqual(img.message.media, { providerMediaId: img.message.providerMessageId, mimeType: 'image/jpeg' });
  }
  const [loc] = events(rawMessage({ type: 'location', lat: 40.4, lng: -3.7, loc: 'Tienda\nCalle Mayor 1', body: '' }));
  assert.ok(
    loc.type === 'message' &&
      loc.message.kind === 'location' &&
      loc.message.text === 'Tienda, Calle Mayor 1 (40.4, -3.7)',
  );
  const [card] = events(rawMessage({ type: 'vcard', body: 'BEGIN:VCARD\nVERSION:3.0\nFN:Ana Pérez\nEND:VCARD' }));
  assert.ok(card.type === 'message' && card.message.kind === 'contacts' && card.message.text === 'Contact: Ana Pérez');
  const [rev] = events(rawMessage({ type: 'revoked', body: '', idPart: 'REV1' }));
  assert.ok(
    rev.type === 'message' && rev.message.kind === 'system' && rev.message.providerMessageId.endsWith('REV1:revoked'),
  );
  const [odd] = events(rawMessage({ type: 'poll_creation', pollName: 'Q?' }));
  assert.ok(
    odd.type === 'message' &&
      odd.message.kind === 'unsupported' &&
      odd.message.text === 'Unsupported message (poll_creation)',
  );
});

test('acks map to statuses: 1 sent, 2 delivered, 3/4 read, -1 failed, 0 nothing', () => {
  assert.equal(ackToStatus(0), null);
  const st = (ack: number) => normalizeWweb({ v: 1, type: 'ack', id: 'true_x@c.us_A', ack, at: 1_700_000_000_000 });
  assert.deepEqual(st(0), []);
  for (const [ack, status] of [
    [1, 'sent'],
    [2, 'delivered'],
    [3, 'read'],
    [4, 'read'],
    [-1, 'failed'],
  ] as const) {
    const [e] = st(ack);
    assert.ok(e.type === 'status');
    if (e.type === 'status') {
      assert.equal(e.status.status, status);
      assert.equal(e.status.providerMessageId, 'true_x@c.us_A');
      assert.equal(e.status.error !== undefined, status === 'failed');
    }
  }
  assert.throws(() => normalizeWweb({ hello: 1 }));
});

test('adapter: sends on the exact chat id without seen receipts; media that gives nothing is null; offline is transient', async () => {
  const f = createFakeWweb();
  let live: typeof f.client | null = null;
  const adapter = createWhatsappWebAdapter({ channelId: 'c1', live: () => live });
  assert.equal(adapter.capabilities.webhook, null);
  assert.equal(adapter.capabilities.replyWindowHours, null);
  const off = await adapter.send({ to: { kind: 'wweb_lid', value: '999@lid' }, kind: 'text', text: 'hola' });
  assert.deepEqual(off.ok, false);
  assert.ok(!off.ok && off.transient && off.code === 'wweb_not_connected');

  live = f.client;
  const r = await adapter.send({ to: { kind: 'wweb_lid', value: '999@lid' }, kind: 'text', text: 'hola' });
  assert.ok(r.ok);
  assert.deepEqual(
    { chatId: f.sent[0].chatId, content: f.sent[0].content, options: f.sent[0].options },
    { chatId: '999@lid', content: 'hola', options: { sendSeen: false } },
  );
  assert.equal(r.ok && r.providerMessageId, f.sent[0].id);

  const tpl = await adapter.send({
    to: { kind: 'wweb_id', value: '1@c.us' },
    kind: 'template',
    template: { name: 'x', language: 'es', params: [] },
  });
  assert.ok(!tpl.ok && !tpl.transient);

  f.media.set('m1', undefined);
  assert.equal(await adapter.fetchMedia({ providerMediaId: 'm1' }), null);
  f.media.set('m2', { data: Buffer.from('JPEG').toString('base64'), mimetype: 'image/jpeg' });
  const got = await adapter.fetchMedia({ providerMediaId: 'm2' });
  assert.equal(got?.bytes.toString(), 'JPEG');
  assert.equal(got?.mimeType, 'image/jpeg');
});

test('a notification (e.g. changed number) is a system line with its text; a revoked message keeps its notice', () => {
  const base = { id: 'n1', from: '34600000001@c.us', to: 'me@c.us', fromMe: false, hasMedia: false, timestamp: 1 };
  const [n] = normalizeWweb({
    v: 1,
    type: 'message',
    message: { ...base, type: 'notification_template', body: 'Changed from +34 612 345 601 to +34 612 345 699' },
  });
  assert.equal(n.type === 'message' && n.message.kind, 'system');
  assert.equal(n.type === 'message' && n.message.text, 'Changed from +34 612 345 601 to +34 612 345 699');
  const [e] = normalizeWweb({ v: 1, type: 'message', message: { ...base, type: 'notification_template', body: '' } });
  assert.equal(e.type === 'message' && e.message.text, 'WhatsApp notification');
  const [r] = normalizeWweb({ v: 1, type: 'message', message: { ...base, type: 'revoked', body: '' } });
  assert.equal(r.type === 'message' && r.message.text, 'The customer deleted a message.');
});
