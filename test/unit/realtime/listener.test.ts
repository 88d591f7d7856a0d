// The realtime listener renders conversation facts: what a fact did not bring (consent, contact) is read, and a
// conversation's updates reach sockets in the order they were published even when an earlier one waits on a read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBus, type DomainEvents } from '../../../server/src/events/bus.js';
import { attachRealtimeListener, type ConversationReads } from '../../../server/src/realtime/listener.js';
import type { ParleyIo } from '../../../server/src/realtime/socket.js';
import type { ConsentFact } from '../../../shared/src/index.js';

const contact = { id: 'k1', handle: 'Blue Fox 12', displayName: null, phone: '+34612345678', erasedAt: null };
const fact = (unreadCount: number, withConsent: boolean): DomainEvents['conversation.updated'] => ({
  channelId: 'c1',
  conversationId: 'v1',
  conversation: {
    id: 'v1',
    channelId: 'c1',
    contactId: 'k1',
    status: 'open',
    assigneeId: null,
    lastMessageAt: null,
    lastInboundAt: null,
    windowExpiresAt: null,
    lastMessagePreview: null,
    labelIds: [],
    snoozedUntil: null,
    unreadCount,
    attribution: null,
    lead: null,
  },
  contact,
  ...(withConsent ? { consent: { marketing: 'granted', adMeasurement: 'granted' } as const } : {}),
  actor: { kind: 'contact', id: 'k1' },
});

function fakeIo(emitted: Array<{ unread: number; marketing: string; phone: string | null }>): ParleyIo {
  type View = { unreadCount: number; contact: { consent: { marketing: string }; maskedPhone: string | null } };
  const emit = (_name: string, p: { conversation: View }) =>
    emitted.push({
      unread: p.conversation.unreadCount,
      marketing: p.conversation.contact.consent.marketing,
      phone: p.conversation.contact.maskedPhone,
    });
  return { on() {}, off() {}, to: () => ({ emit }) } as unknown as ParleyIo;
}

test('a conversation update waiting on its consent read is emitted before a later complete one', async () => {
  const emitted: Array<{ unread: number; marketing: string; phone: string | null }> = [];
  let answer: (c: ConsentFact) => void = () => {};
  const reads: ConversationReads = {
    contactOf: async () => contact,
    consentOf: () => new Promise<ConsentFact>((resolve) => (answer = resolve)),
  };
  const bus = new EventBus();
  const detach = attachRealtimeListener(bus, fakeIo(emitted), { reads });
  bus.publish('conversation.updated', fact(1, false));
  bus.publish('conversation.updated', fact(2, true));
  await new Promise((r) => setImmediate(r));
  assert.equal(emitted.length, 0, 'the second waits for the first');
  answer({ marketing: 'withdrawn', adMeasurement: 'unknown' });
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(
    emitted.map((e) => [e.unread, e.marketing]),
    [
      [1, 'withdrawn'],
      [2, 'granted'],
    ],
  );
  assert.notEqual(emitted[0].phone, contact.phone, 'the number is masked');
  // Nothing pending: a complete fact is emitted at once.
  bus.publish('conversation.updated', fact(3, true));
  assert.equal(emitted.at(-1)?.unread, 3);
  detach();
});
