// The shared channel rules, reply window and message-status ranking that the server's guard and the console both
// use: the server's capabilities carry the same window numbers, the guard's stage boundaries are inclusive, the
// composer's state follows the stored expiry, and ticks never move back. Must never start a server or a browser.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CHANNEL_RULES,
  ChannelKindSchema,
  HOUR_MS,
  channelRules,
  laterStatus,
  replyWindowState,
  windowHours,
  windowStage,
} from '../../../shared/src/index.js';
import { CAPABILITIES } from '../../../server/src/channels/capabilities.js';

const NOW = Date.parse('2026-03-01T10:00:00Z');
const iso = (t: number) => new Date(t).toISOString();

describe('channel rules', () => {
  it('are what the server declares for every channel kind', () => {
    for (const kind of ChannelKindSchema.options) {
      const caps = CAPABILITIES[kind];
      assert.deepEqual(
        {
          replyWindowHours: caps.replyWindowHours,
          humanAgentWindowHours: caps.humanAgentWindowHours,
          templates: caps.templates,
        },
        CHANNEL_RULES[kind],
        kind,
      );
    }
  });

  it('fall back to WhatsApp Cloud for an unknown kind', () => {
    assert.equal(channelRules(undefined), CHANNEL_RULES['whatsapp-cloud']);
    assert.equal(windowHours(undefined), 24);
    assert.equal(windowHours('whatsapp-web'), 24);
  });
});

describe('window stage (the guard rule)', () => {
  it('is open up to and including the window, then closed on WhatsApp', () => {
    const rules = CHANNEL_RULES['whatsapp-cloud'];
    assert.equal(windowStage(rules, 0), 'open');
    assert.equal(windowStage(rules, 24 * HOUR_MS), 'open');
    assert.equal(windowStage(rules, 24 * HOUR_MS + 1), 'closed');
    assert.equal(windowStage(rules, Infinity), 'closed');
  });

  it('gives a human agent up to 7 days on Messenger', () => {
    const rules = CHANNEL_RULES.messenger;
    assert.equal(windowStage(rules, 24 * HOUR_MS + 1), 'human');
    assert.equal(windowStage(rules, 168 * HOUR_MS), 'human');
    assert.equal(windowStage(rules, 168 * HOUR_MS + 1), 'closed');
  });

  it('has no window on a linked WhatsApp number', () => {
    assert.equal(windowStage(CHANNEL_RULES['whatsapp-web'], Infinity), 'none');
  });
});

describe('reply window state (the composer)', () => {
  it('follows the stored expiry over the last inbound time', () => {
    const w = replyWindowState({
      lastInboundAt: iso(NOW - HOUR_MS),
      windowExpiresAt: iso(NOW - 1),
      kind: 'sandbox',
      now: NOW,
    });
    assert.deepEqual(w, { state: 'closed', closedAt: NOW - 1, templates: true, neverWrote: false });
  });

  it('computes the expiry from the last inbound time when none is stored', () => {
    const last = NOW - HOUR_MS;
    const w = replyWindowState({ lastInboundAt: iso(last), windowExpiresAt: null, kind: undefined, now: NOW });
    assert.deepEqual(w, { state: 'open', closesAt: last + 24 * HOUR_MS });
  });

  it('closes a Messenger conversation after the human-agent window, without templates', () => {
    const last = NOW - 200 * HOUR_MS;
    const w = replyWindowState({ lastInboundAt: iso(last), windowExpiresAt: null, kind: 'messenger', now: NOW });
    assert.deepEqual(w, { state: 'closed', closedAt: last + 168 * HOUR_MS, templates: false, neverWrote: false });
  });

  it('ignores unreadable times', () => {
    const w = replyWindowState({ lastInboundAt: 'garbage', windowExpiresAt: null, kind: 'whatsapp-cloud', now: NOW });
    assert.deepEqual(w, { state: 'closed', closedAt: null, templates: true, neverWrote: true });
  });
});

describe('message status ranking', () => {
  it('never moves ticks back', () => {
    assert.equal(laterStatus('read', 'sent'), 'read');
    assert.equal(laterStatus('queued', 'delivered'), 'delivered');
    assert.equal(laterStatus('sent', 'queued'), 'sent');
  });

  it('lets a failure or block override, and the newer of two equal ranks win', () => {
    assert.equal(laterStatus('read', 'failed'), 'failed');
    assert.equal(laterStatus('held', 'queued'), 'queued');
    assert.equal(laterStatus('failed', 'blocked'), 'blocked');
    assert.equal(laterStatus('received', 'received'), 'received');
  });
});
