// Provider timestamps: seconds, milliseconds, microseconds and ISO strings recognised; a future time clamped to the
// receive time (the provider's value kept); garbage, negative and absurd values fall back to the receive time —
// the helper itself and every normalizer that uses it (WhatsApp Cloud / sandbox, Messenger, whatsapp-web).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_FUTURE_SKEW_MS,
  clampToNow,
  parseProviderTimestamp,
  providerTime,
  trustedTime,
} from '../../../server/src/channels/timestamps.js';
import { normalizeCloud } from '../../../server/src/channels/whatsapp-cloud/normalize.js';
import { normalizeMessenger } from '../../../server/src/channels/messenger/normalize.js';
import { normalizeWweb } from '../../../server/src/channels/whatsapp-web/normalize.js';
import type { ChannelEvent, InboundMessage } from '../../../server/src/channels/adapter.js';

const RECEIVED = new Date('2026-03-01T10:00:00.000Z');
const SENT_S = Math.floor(Date.parse('2026-03-01T09:59:30.000Z') / 1000); // 10 digits
const SENT_MS = SENT_S * 1000 + 123; // 13 digits
const YEAR_2100_S = Math.floor(Date.parse('2100-01-01T00:00:00Z') / 1000);

test('units are recognised by magnitude: 10 digits seconds, 13 milliseconds, 16 microseconds; ISO strings', () => {
  assert.equal(parseProviderTimestamp(SENT_S)?.getTime(), SENT_S * 1000);
  assert.equal(parseProviderTimestamp(String(SENT_S))?.getTime(), SENT_S * 1000);
  assert.equal(parseProviderTimestamp(SENT_MS)?.getTime(), SENT_MS);
  assert.equal(parseProviderTimestamp(String(SENT_MS))?.getTime(), SENT_MS);
  assert.equal(parseProviderTimestamp(String(SENT_MS * 1000))?.getTime(), SENT_MS);
  assert.equal(parseProviderTimestamp('2026-03-01T09:59:30Z')?.toISOString(), '2026-03-01T09:59:30.000Z');
  assert.equal(parseProviderTimestamp('2026-03-01T11:59:30+02:00')?.toISOString(), '2026-03-01T09:59:30.000Z');
  assert.equal(parseProviderTimestamp(new Date(SENT_MS))?.getTime(), SENT_MS);
});

test('garbage, negative, zero, tiny, absurd and non-ISO strings are not times', () => {
  for (const bad of [
    'abc',
    '',
    ' ',
    '-5',
    -5,
    0,
    '0',
    1,
    '12',
    NaN,
    Infinity,
    1e30,
    '1e9',
    '1,5',
    'Tuesday',
    '1',
    '2026/03/01',
    null,
    undefined,
    {},
    [],
    true,
    new Date(NaN),
    '99999999999999999999',
  ])
    assert.equal(parseProviderTimestamp(bad), null, `not a time: ${String(bad)}`);
});

test('a future time is the receive time for the inbox, the provider value kept; a small skew is allowed', () => {
  const far = providerTime(YEAR_2100_S, RECEIVED);
  assert.equal(far.at.getTime(), RECEIVED.getTime());
  assert.equal(far.provider?.getUTCFullYear(), 2100);
  const skewed = providerTime(Math.floor((RECEIVED.getTime() + 60_000) / 1000), RECEIVED);
  assert.equal(skewed.at.getTime(), RECEIVED.getTime() + 60_000, 'a minute of clock skew is believed');
  const beyond = new Date(RECEIVED.getTime() + MAX_FUTURE_SKEW_MS + 1000);
  assert.equal(clampToNow(beyond, RECEIVED).getTime(), RECEIVED.getTime());
  assert.equal(trustedTime(new Date(NaN), RECEIVED).getTime(), RECEIVED.getTime());
  assert.equal(trustedTime(null, RECEIVED).getTime(), RECEIVED.getTime());
});

test('a bad time is the receive time; the provider value is null', () => {
  for (const bad of ['abc', -5, undefined]) {
    const t = providerTime(bad, RECEIVED);
    assert.equal(t.at.getTime(), RECEIVED.getTime());
    assert.equal(t.provider, null);
  }
  // Without a receive time: now.
  const t = providerTime('abc');
  assert.ok(Math.abs(t.at.getTime() - Date.now()) < 5000);
});

const messages = (evs: ChannelEvent[]): InboundMessage[] =>
  evs.flatMap((e) => (e.type === 'message' ? [e.message] : []));
const statuses = (evs: ChannelEvent[]) => evs.flatMap((e) => (e.type === 'status' ? [e.status] : []));

function cloud(timestamp: unknown, statusTs: unknown = timestamp) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'w1',
        changes: [
          {
            field: 'messages',
            value: {
              metadata: { phone_number_id: '1' },
              contacts: [{ wa_id: '34600000001' }],
              messages: [{ from: '34600000001', id: 'wamid.T', timestamp, type: 'text', text: { body: 'hi' } }],
              statuses: [{ id: 'wamid.S', status: 'read', timestamp: statusTs }],
            },
          },
        ],
      },
    ],
  };
}

test('WhatsApp Cloud (and the sandbox, which speaks its format): every kind of timestamp, never a thrown envelope', () => {
  const at = (ts: unknown) => {
    const evs = normalizeCloud(cloud(ts), { receivedAt: RECEIVED });
    return { m: messages(evs)[0], s: statuses(evs)[0] };
  };
  assert.equal(at(String(SENT_S)).m.timestamp.getTime(), SENT_S * 1000);
  assert.equal(at(String(SENT_MS)).m.timestamp.getTime(), SENT_MS, '13 digits: milliseconds');
  const future = at(String(YEAR_2100_S));
  assert.equal(future.m.timestamp.getTime(), RECEIVED.getTime());
  assert.equal(future.m.providerTimestamp?.getUTCFullYear(), 2100);
  assert.equal(future.s.timestamp.getTime(), RECEIVED.getTime());
  for (const bad of ['abc', -5, '-5', { x: 1 }, undefined]) {
    const { m, s } = at(bad);
    assert.equal(m.timestamp.getTime(), RECEIVED.getTime(), `message time for ${JSON.stringify(bad)}`);
    assert.equal(m.providerTimestamp, null);
    assert.equal(s.timestamp.getTime(), RECEIVED.getTime());
  }
});

function messenger(timestamp: unknown) {
  return {
    object: 'page',
    entry: [
      {
        id: 'P1',
        messaging: [{ sender: { id: 'u1' }, recipient: { id: 'P1' }, timestamp, message: { mid: 'm1', text: 'hi' } }],
      },
    ],
  };
}

test('Messenger / Instagram: milliseconds as Meta sends them, seconds too, future clamped, garbage the receive time', () => {
  const at = (ts: unknown) => messages(normalizeMessenger(messenger(ts), { receivedAt: RECEIVED }))[0];
  assert.equal(at(SENT_MS).timestamp.getTime(), SENT_MS);
  assert.equal(at(SENT_S).timestamp.getTime(), SENT_S * 1000, '10 digits: seconds');
  assert.equal(at(String(SENT_MS)).timestamp.getTime(), SENT_MS);
  assert.equal(at(YEAR_2100_S * 1000).timestamp.getTime(), RECEIVED.getTime());
  assert.equal(at(YEAR_2100_S * 1000).providerTimestamp?.getUTCFullYear(), 2100);
  for (const bad of ['abc', -5]) assert.equal(at(bad).timestamp.getTime(), RECEIVED.getTime());
});

function wweb(timestamp: unknown) {
  return {
    v: 1,
    type: 'message',
    message: { id: 'w1', from: '34600000001@c.us', to: 'me@c.us', fromMe: false, type: 'chat', body: 'hi', timestamp },
  };
}

test('whatsapp-web: seconds, milliseconds, future clamped, garbage the receive time; acks too', () => {
  const at = (ts: unknown) => messages(normalizeWweb(wweb(ts), { receivedAt: RECEIVED }))[0];
  assert.equal(at(SENT_S).timestamp.getTime(), SENT_S * 1000);
  assert.equal(at(SENT_MS).timestamp.getTime(), SENT_MS);
  assert.equal(at(YEAR_2100_S).timestamp.getTime(), RECEIVED.getTime());
  for (const bad of ['abc', -5]) assert.equal(at(bad).timestamp.getTime(), RECEIVED.getTime());
  const ack = statuses(normalizeWweb({ v: 1, type: 'ack', id: 'w1', ack: 3, at: 'abc' }, { receivedAt: RECEIVED }))[0];
  assert.equal(ack.timestamp.getTime(), RECEIVED.getTime());
});
