// The reply window never runs on a time ahead of now: a small clock skew counts as now, a last inbound time far in
// the future (a provider's year-2100 stamp stored before intake clamped times) closes the window instead of
// holding it open for ever.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkReplyWindow } from '../../../server/src/policy/guard/window.js';
import { Refusal, type GuardContext } from '../../../server/src/policy/guard/types.js';
import { CAPABILITIES } from '../../../server/src/channels/capabilities.js';

const NOW = new Date('2026-03-01T10:00:00Z');
const ctx = (lastInboundAt: Date | null, kind: 'whatsapp-cloud' | 'messenger' = 'whatsapp-cloud'): GuardContext => ({
  now: NOW,
  channel: { id: 'c1', kind, capabilities: CAPABILITIES[kind] },
  conversation: { id: 'v1', lastInboundAt },
  contact: { id: 'k1', erasedAt: null },
  message: { kind: 'text', text: 'hello' },
  actor: { type: 'user', id: 'u1' },
});

test('inside the window: open; a minute of provider clock skew: open', () => {
  assert.deepEqual(checkReplyWindow(ctx(new Date(NOW.getTime() - 3_600_000))), {});
  assert.deepEqual(checkReplyWindow(ctx(new Date(NOW.getTime() + 60_000))), {});
});

test('a last inbound time in year 2100 does not hold the window open', () => {
  for (const kind of ['whatsapp-cloud', 'messenger'] as const) {
    const r = checkReplyWindow(ctx(new Date('2100-01-01T00:00:00Z'), kind));
    assert.ok(r instanceof Refusal, `${kind}: refused`);
    assert.equal(r.code, 'window_closed');
  }
});

test('the window limits are inclusive; past them Messenger allows a human agent only, then refuses', () => {
  const at = (hoursAgo: number, ms = 0) => new Date(NOW.getTime() - hoursAgo * 3_600_000 - ms);
  assert.deepEqual(checkReplyWindow(ctx(at(24))), {});
  const late = checkReplyWindow(ctx(at(24, 1)));
  assert.ok(late instanceof Refusal && late.code === 'window_closed');
  assert.deepEqual(checkReplyWindow(ctx(at(24, 1), 'messenger')), { humanAgentTag: true });
  assert.deepEqual(checkReplyWindow(ctx(at(168), 'messenger')), { humanAgentTag: true });
  const integration = checkReplyWindow({ ...ctx(at(30), 'messenger'), actor: { type: 'integration', id: 'i1' } });
  assert.ok(integration instanceof Refusal && integration.code === 'window_closed');
  const gone = checkReplyWindow(ctx(at(168, 1), 'messenger'));
  assert.ok(gone instanceof Refusal && /7 days/.test(gone.message));
  const never = checkReplyWindow(ctx(null));
  assert.ok(never instanceof Refusal && /has not written yet/.test(never.message));
});
