// Facts on the bus: message/conversation/review events are built from stored records by events/publish.ts, as
// plain data (string ids, unmasked text) with their actor, and under test every payload is checked against its
// schema (a wrong shape throws at the publisher).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Types } from 'mongoose';
import { EventBus, type DomainEvents } from '../../../server/src/events/bus.js';
import {
  publishConversationUpdated,
  publishMessageCreated,
  publishReviewCreated,
  conversationFact,
} from '../../../server/src/events/publish.js';

const ids = { conv: new Types.ObjectId(), channel: new Types.ObjectId(), contact: new Types.ObjectId() };
const record = {
  _id: new Types.ObjectId(),
  conversationId: ids.conv,
  channelId: ids.channel,
  contactId: ids.contact,
  direction: 'out',
  kind: 'text',
  text: 'Call me on +34 612 345 678',
  status: 'held',
  createdAt: new Date('2026-01-02T03:04:05Z'),
  media: null,
  error: { code: 'held_for_review', reason: 'Needs a look' },
  authorId: null,
};

test('message.created carries the stored record as plain data, its author and its actor', () => {
  const bus = new EventBus();
  const got: DomainEvents['message.created'][] = [];
  bus.subscribe('message.created', (e) => void got.push(e));
  publishMessageCreated(bus, record, { kind: 'integration', id: 'int1' }, { id: 'int1', name: 'Shop' });
  assert.equal(got.length, 1);
  const e = got[0];
  assert.equal(e.channelId, String(ids.channel));
  assert.equal(e.conversationId, String(ids.conv));
  assert.equal(e.messageId, String(record._id));
  assert.deepEqual(e.actor, { kind: 'integration', id: 'int1' });
  assert.deepEqual(e.author, { id: 'int1', name: 'Shop' });
  // Unmasked: the bus is in-process; the realtime renderer masks.
  assert.equal(e.message.text, record.text);
  assert.equal(e.message.contactId, String(ids.contact));
  assert.deepEqual(e.message.error, { code: 'held_for_review', reason: 'Needs a look' });
});

test('a payload that does not match its schema throws at the publisher under test', () => {
  const bus = new EventBus();
  assert.throws(
    () =>
      bus.publish('message.status', { channelId: 'c', conversationId: 'v', messageId: 'm', status: 'bogus' as never }),
    /invalid message.status payload/,
  );
  assert.throws(
    () => publishMessageCreated(bus, { ...record, kind: 'nonsense' }, { kind: 'user', id: 'u1' }),
    /invalid message.created payload/,
  );
});

test('review.created has one shape per item type, with the item id', () => {
  const bus = new EventBus();
  const got: DomainEvents['review.created'][] = [];
  bus.subscribe('review.created', (e) => void got.push(e));
  const held = {
    id: String(record._id),
    conversationId: String(ids.conv),
    channelId: String(ids.channel),
    contactId: String(ids.contact),
    direction: 'out' as const,
    kind: 'text' as const,
    text: 'hi',
    status: 'held' as const,
    createdAt: new Date(),
    media: null,
    error: null,
    authorId: null,
  };
  publishReviewCreated(bus, { type: 'held_message', message: held, actor: { kind: 'user', id: 'u1' } });
  const report = {
    _id: new Types.ObjectId(),
    conversationId: ids.conv,
    channelId: ids.channel,
    contactId: ids.contact,
    messageId: record._id,
    language: 'en',
    status: 'open',
    createdAt: new Date(),
  };
  publishReviewCreated(bus, { type: 'abuse_report', report, actor: { kind: 'contact', id: String(ids.contact) } });
  assert.deepEqual(
    got.map((e) => [e.type, e.itemId, e.conversationId, e.channelId]),
    [
      ['held_message', held.id, String(ids.conv), String(ids.channel)],
      ['abuse_report', String(report._id), String(ids.conv), String(ids.channel)],
    ],
  );
});

test('conversation.updated carries the conversation record; contact and consent only when given', () => {
  const bus = new EventBus();
  const got: DomainEvents['conversation.updated'][] = [];
  bus.subscribe('conversation.updated', (e) => void got.push(e));
  const conversation = conversationFact({
    _id: ids.conv,
    channelId: ids.channel,
    contactId: ids.contact,
    status: 'open',
    assigneeId: null,
    lastMessageAt: new Date(),
    unreadCount: 2,
  });
  publishConversationUpdated(bus, { conversation }, { kind: 'contact', id: String(ids.contact) });
  assert.equal(got[0].conversationId, String(ids.conv));
  assert.equal(got[0].channelId, String(ids.channel));
  assert.equal(got[0].conversation.unreadCount, 2);
  assert.equal('contact' in got[0], false);
  assert.equal('consent' in got[0], false);
});
