// The Messenger normalizer: the sample (ad referral, then the first message), referrals inside messages and
// postbacks, m.me links, attachments, quick replies, echoes skipped, reactions, delivery receipts, and the envelope.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  normalizeMessenger,
  parseMessengerEnvelope,
  splitMessengerByRoutingKey,
} from '../../../server/src/channels/messenger/normalize.js';
import type { ChannelEvent, InboundMessage } from '../../../server/src/channels/adapter.js';
import { samplePayload } from '../../helpers/webhooks.js';

const PAGE = '200000000000001';
const envelope = (...messaging: object[]) => ({
  object: 'page',
  entry: [
    {
      id: PAGE,
      time: 1763900300000,
      messaging: messaging.map((m) => ({
        sender: { id: 'PSID1' },
        recipient: { id: PAGE },
        timestamp: 1763900301000,
        ...m,
      })),
    },
  ],
});
const msg = (e: ChannelEvent): InboundMessage => {
  assert.equal(e.type, 'message');
  return (e as Extract<ChannelEvent, { type: 'message' }>).message;
};

test('sample: OPEN_THREAD ad referral without a message, then the message', () => {
  const events = normalizeMessenger(JSON.parse(samplePayload('messenger-ad-referral.json')));
  assert.equal(events.length, 2);
  assert.deepEqual(events[0], {
    type: 'referral',
    referral: {
      identities: [{ kind: 'psid', value: '200000000000001:7000000000000001' }],
      timestamp: new Date(1763900299000),
      referral: {
        source: 'ctm',
        adId: '230000000000000001',
        ref: 'spring-jackets',
        sourceType: 'OPEN_THREAD',
        headline: 'Spring jackets',
        mediaUrl: 'https://example.invalid/ad2.jpg',
        mediaType: 'image',
        postId: '200000000000001_1',
      },
    },
  });
  const m = msg(events[1]);
  assert.equal(m.providerMessageId, 'm_SAMPLE0001');
  assert.equal(m.text, 'Do you ship to Lisbon?');
  assert.equal(m.kind, 'text');
  assert.equal(m.timestamp.getTime(), 1763900301000, 'timestamps are in ms');
  assert.deepEqual(m.identities, [{ kind: 'psid', value: '200000000000001:7000000000000001' }]);
  assert.equal(m.referral, undefined);
});

test('referral inside a message or a postback; m.me SHORTLINK → link with ref', () => {
  const inMsg = msg(
    normalizeMessenger(
      envelope({
        message: {
          mid: 'm1',
          text: 'hi',
          referral: {
            source: 'ADS',
            type: 'OPEN_THREAD',
            ad_id: 'AD1',
            ads_context_data: { ad_title: 'T', video_url: 'https://example.invalid/v.mp4' },
          },
        },
      }),
    )[0],
  );
  assert.deepEqual(inMsg.referral, {
    source: 'ctm',
    adId: 'AD1',
    sourceType: 'OPEN_THREAD',
    headline: 'T',
    mediaUrl: 'https://example.invalid/v.mp4',
    mediaType: 'video',
  });
  const pb = msg(
    normalizeMessenger(
      envelope({
        postback: {
          title: 'Get Started',
          payload: 'GET_STARTED',
          mid: 'm_pb1',
          referral: { source: 'SHORTLINK', type: 'OPEN_THREAD', ref: 'K7Q2' },
        },
      }),
    )[0],
  );
  assert.deepEqual(
    [pb.kind, pb.text, pb.replyPayload, pb.providerMessageId],
    ['interactive', 'Get Started', 'GET_STARTED', 'm_pb1'],
  );
  assert.deepEqual(pb.referral, { source: 'link', ref: 'K7Q2', sourceType: 'OPEN_THREAD' });
  const onEvent = normalizeMessenger(envelope({ referral: { source: 'SHORTLINK', type: 'OPEN_THREAD', ref: 'R9' } }));
  assert.equal(onEvent[0].type, 'referral');
  // A postback without mid gets a stable synthetic id.
  const pb2 = msg(normalizeMessenger(envelope({ postback: { title: 'Menu', payload: 'MENU' } }))[0]);
  assert.equal(pb2.providerMessageId, 'postback:PSID1:1763900301000');
});

test('echoes of our own sends are skipped; quick replies and attachments are mapped', () => {
  assert.deepEqual(normalizeMessenger(envelope({ message: { mid: 'm_echo', text: 'ours', is_echo: true } })), []);
  const q = msg(
    normalizeMessenger(envelope({ message: { mid: 'm2', text: 'Yes please', quick_reply: { payload: 'OPT_IN' } } }))[0],
  );
  assert.deepEqual([q.kind, q.text, q.replyPayload], ['interactive', 'Yes please', 'OPT_IN']);
  const img = msg(
    normalizeMessenger(
      envelope({
        message: {
          mid: 'm3',
          attachments: [
            { type: 'image', payload: { url: 'https://cdn.example.invalid/a.jpg' } },
            { type: 'image', payload: { url: 'https://cdn.example.invalid/b.jpg' } },
          ],
        },
      }),
    )[0],
  );
  assert.equal(img.kind, 'image');
  assert.deepEqual(img.media, { url: 'https://cdn.example.invalid/a.jpg' });
  assert.equal(img.text, '📷 Photo (+1 more)');
  const file = msg(
    normalizeMessenger(
      envelope({
        message: { mid: 'm4', attachments: [{ type: 'file', payload: { url: 'https://cdn.example.invalid/f.pdf' } }] },
      }),
    )[0],
  );
  assert.equal(file.kind, 'document');
  const sticker = msg(
    normalizeMessenger(
      envelope({
        message: {
          mid: 'm5',
          sticker_id: 369239263222822,
          attachments: [
            { type: 'image', payload: { url: 'https://cdn.example.invalid/s.png', sticker_id: 369239263222822 } },
          ],
        },
      }),
    )[0],
  );
  assert.equal(sticker.kind, 'sticker');
  const loc = msg(
    normalizeMessenger(
      envelope({
        message: {
          mid: 'm6',
          attachments: [{ type: 'location', title: 'Shop', payload: { coordinates: { lat: 38.7, long: -9.1 } } }],
        },
      }),
    )[0],
  );
  assert.deepEqual([loc.kind, loc.text], ['location', '📍 Shop (38.7, -9.1)']);
  const odd = msg(
    normalizeMessenger(envelope({ message: { mid: 'm7', attachments: [{ type: 'ar_effect', payload: {} }] } }))[0],
  );
  assert.deepEqual([odd.kind, odd.text], ['unsupported', '[Unsupported message type: ar_effect]']);
  const reply = msg(
    normalizeMessenger(envelope({ message: { mid: 'm8', text: 'this', reply_to: { mid: 'm_prev' } } }))[0],
  );
  assert.equal(reply.contextMessageId, 'm_prev');
});

test('reactions, delivery receipts; read watermarks and unknown events produce nothing', () => {
  const r = msg(
    normalizeMessenger(envelope({ reaction: { reaction: 'love', emoji: '❤', action: 'react', mid: 'm_out1' } }))[0],
  );
  assert.deepEqual([r.kind, r.text, r.reactionTo], ['reaction', '❤', 'm_out1']);
  const un = msg(normalizeMessenger(envelope({ reaction: { reaction: 'love', action: 'unreact', mid: 'm_out1' } }))[0]);
  assert.equal(un.text, null);
  assert.deepEqual(
    normalizeMessenger(envelope({ delivery: { mids: ['m_out1', 'm_out2'], watermark: 1 } })).map(
      (e) => e.type === 'status' && e.status.providerMessageId,
    ),
    ['m_out1', 'm_out2'],
  );
  assert.deepEqual(normalizeMessenger(envelope({ read: { watermark: 1763900301000 } })), []);
  assert.deepEqual(normalizeMessenger(envelope({ optin: { ref: 'x' } })), []);
});

test('envelope: object page, entry array with id, messaging items with sender/recipient/timestamp', () => {
  assert.throws(() => parseMessengerEnvelope({ object: 'instagram', entry: [] }));
  assert.throws(() => parseMessengerEnvelope({ object: 'page', entry: [{ messaging: [] }] }));
  // A string timestamp is read (milliseconds), not a broken envelope.
  assert.doesNotThrow(() =>
    parseMessengerEnvelope({
      object: 'page',
      entry: [{ id: PAGE, messaging: [{ sender: { id: 'x' }, recipient: { id: PAGE }, timestamp: '1763900301000' }] }],
    }),
  );
  const item = (sender: string, ts: number, mid: string) => ({
    sender: { id: sender },
    recipient: { id: 'P1' },
    timestamp: ts,
    message: { mid, text: sender },
  });
  const two = {
    object: 'page',
    entry: [
      { id: 'P1', messaging: [item('a', 1, 'x1')] },
      { id: 'P2', standby: [{}] },
      { id: 'P1', messaging: [item('b', 2, 'x2')] },
    ],
  };
  const parts = splitMessengerByRoutingKey(two);
  assert.deepEqual(
    parts.map((p) => p.routingKey),
    ['P1'],
  );
  assert.deepEqual(
    normalizeMessenger(parts[0].payload).map((e) => msg(e).providerMessageId),
    ['x1', 'x2'],
  );
});
