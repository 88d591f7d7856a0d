// Fast checks of the inbox console's pure rules (no browser, no server): thread merging (dedupe by id, ticks never
// go back, oldest first whatever the server's order), live list filtering/sorting, the reply-window states the
// composer shows (shared rules), and the URL guard for customer/provider links. Must never start a server or a
// browser.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { replyWindowState, type ChannelKind, type Conversation, type Message } from '../../../shared/src/index.js';
import { matchesFilters, sortConversations } from '../../../client/src/hooks/useConversationList.js';
import { mergeMessages } from '../../../client/src/hooks/useThread.js';
import { safeUrl } from '../../../client/src/safe-url.js';

const HOUR = 3_600_000;
const NOW = Date.parse('2025-06-01T12:00:00Z');
const iso = (t: number) => new Date(t).toISOString();

function msg(id: string, at: number, status: Message['status'] = 'sent'): Message {
  return { id, conversationId: 'c1', direction: 'out', kind: 'text', text: id, status, createdAt: iso(at) };
}

function conv(over: Partial<Conversation> = {}): Conversation {
  return {
    id: 'c1',
    channel: 'ch1',
    status: 'open',
    assignee: null,
    contact: {
      id: 'k1',
      handle: 'Calm Otter 12',
      displayName: 'Ana',
      maskedPhone: '+34 6•• ••• •45',
      consent: { marketing: 'unknown', adMeasurement: 'unknown' },
    },
    lastMessageAt: iso(NOW - HOUR),
    lastInboundAt: iso(NOW - HOUR),
    windowExpiresAt: iso(NOW + 23 * HOUR),
    unreadCount: 0,
    lastMessagePreview: null,
    labels: [],
    snoozedUntil: null,
    attribution: null,
    lead: null,
    ...over,
  };
}

describe('thread merging', () => {
  it('sorts by time whatever order pages come in, and dedupes by id', () => {
    const merged = mergeMessages([msg('b', NOW - 2), msg('c', NOW - 1)], [msg('a', NOW - 3), msg('c', NOW - 1)]);
    assert.deepEqual(
      merged.map((m) => m.id),
      ['a', 'b', 'c'],
    );
  });

  it('never moves ticks back (a stale POST answer after the read event)', () => {
    const [m] = mergeMessages([msg('a', NOW, 'read')], [msg('a', NOW, 'queued')]);
    assert.equal(m.status, 'read');
    const [failed] = mergeMessages([msg('a', NOW, 'sent')], [msg('a', NOW, 'failed')]);
    assert.equal(failed.status, 'failed');
  });
});

describe('live conversation list', () => {
  it('applies the tab, status and channel filters to socket updates', () => {
    assert.ok(matchesFilters(conv({ assignee: 'me1' }), { assignee: 'me' }, 'me1', false));
    assert.ok(!matchesFilters(conv({ assignee: 'u2' }), { assignee: 'me' }, 'me1', true));
    assert.ok(!matchesFilters(conv({ assignee: 'u2' }), { assignee: 'none' }, 'me1', true));
    assert.ok(!matchesFilters(conv({ status: 'closed' }), { status: 'open' }, 'me1', true));
    assert.ok(!matchesFilters(conv(), { channel: 'other' }, 'me1', true));
  });

  it('inserts a new conversation under a search only when its handle or name matches', () => {
    assert.ok(matchesFilters(conv(), { q: 'otter' }, 'me1', false));
    assert.ok(!matchesFilters(conv(), { q: 'jacket' }, 'me1', false));
    assert.ok(matchesFilters(conv(), { q: 'jacket' }, 'me1', true), 'a row the server matched stays');
  });

  it('orders by newest activity first', () => {
    const sorted = sortConversations([
      conv({ id: 'old', lastMessageAt: iso(NOW - 3 * HOUR) }),
      conv({ id: 'new', lastMessageAt: iso(NOW) }),
      conv({ id: 'none', lastMessageAt: null }),
    ]);
    assert.deepEqual(
      sorted.map((c) => c.id),
      ['new', 'old', 'none'],
    );
  });
});

const replyWindow = (c: Conversation, kind: ChannelKind | undefined, now: number) =>
  replyWindowState({ lastInboundAt: c.lastInboundAt, windowExpiresAt: c.windowExpiresAt, kind, now });

describe('reply window', () => {
  it('is open until windowExpiresAt, then templates only on WhatsApp', () => {
    assert.deepEqual(replyWindow(conv(), 'sandbox', NOW), { state: 'open', closesAt: NOW + 23 * HOUR });
    const closed = replyWindow(conv({ windowExpiresAt: iso(NOW - HOUR) }), 'whatsapp-cloud', NOW);
    assert.equal(closed.state, 'closed');
    assert.ok(closed.state === 'closed' && closed.templates);
  });

  it('lets a human agent answer on Messenger for 7 days, without templates after that', () => {
    const lastIn = NOW - 30 * HOUR;
    const c = conv({ lastInboundAt: iso(lastIn), windowExpiresAt: iso(lastIn + 24 * HOUR) });
    assert.deepEqual(replyWindow(c, 'messenger', NOW), { state: 'human', closesAt: lastIn + 168 * HOUR });
    const late = replyWindow(c, 'messenger', lastIn + 200 * HOUR);
    assert.ok(late.state === 'closed' && !late.templates);
  });

  it('has no window on a linked WhatsApp number, and is closed when the customer never wrote', () => {
    assert.deepEqual(replyWindow(conv({ windowExpiresAt: null }), 'whatsapp-web', NOW), { state: 'none' });
    const never = replyWindow(conv({ lastInboundAt: null, windowExpiresAt: null }), 'sandbox', NOW);
    assert.ok(never.state === 'closed' && never.neverWrote);
  });
});

describe('customer and provider links', () => {
  it('lets through http(s) and same-origin paths only', () => {
    assert.equal(safeUrl('https://example.com/ad?x=1'), 'https://example.com/ad?x=1');
    assert.equal(safeUrl('/api/media/abc'), '/api/media/abc');
    for (const bad of ['javascript:alert(1)', 'data:text/html,<b>x</b>', '//evil.example/x', 'vbscript:x', '', null]) {
      assert.equal(safeUrl(bad), null, String(bad));
    }
  });
});
