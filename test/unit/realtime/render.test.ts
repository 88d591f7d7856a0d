// The realtime renderer turns facts into exactly the socket JSON the console has always received: the masked
// views of inbox/views.ts (message, conversation) and the review item shapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Types } from 'mongoose';
import { EventBus, type DomainEvents } from '../../../server/src/events/bus.js';
import {
  contactFact,
  conversationFact,
  publishConversationUpdated,
  publishMessageCreated,
  publishReviewCreated,
} from '../../../server/src/events/publish.js';
import { toConversationView, toMessageView } from '../../../server/src/inbox/views.js';
import { toReportView } from '../../../server/src/protection/opt-out.js';
import { renderConversation, renderMessage, renderReviewItem } from '../../../server/src/realtime/render.js';

const conv = new Types.ObjectId();
const channel = new Types.ObjectId();
const contact = new Types.ObjectId();
const message = {
  _id: new Types.ObjectId(),
  conversationId: conv,
  channelId: channel,
  contactId: contact,
  direction: 'out',
  kind: 'system',
  text: 'Shared number +34 612 345 678',
  status: 'held',
  createdAt: new Date('2026-01-02T03:04:05Z'),
  media: { state: 'stored', mimeType: 'image/png', filename: 'a.png' },
  error: { code: 'held_for_review', reason: 'Needs a look' },
  authorId: null,
};

function capture<E extends keyof DomainEvents>(bus: EventBus, event: E): DomainEvents[E][] {
  const got: DomainEvents[E][] = [];
  bus.subscribe(event, (e) => void got.push(e));
  return got;
}

test('message:new is the masked message view, with its author when one is shown', () => {
  const bus = new EventBus();
  const got = capture(bus, 'message.created');
  publishMessageCreated(bus, message, { kind: 'user', id: 'u1' }, { id: 'u1', name: 'Ana' });
  publishMessageCreated(bus, message, { kind: 'system', id: 'compliance' });
  assert.equal(
    JSON.stringify(renderMessage(got[0])),
    JSON.stringify({ conversationId: String(conv), message: toMessageView(message, { id: 'u1', name: 'Ana' }) }),
  );
  assert.equal(
    JSON.stringify(renderMessage(got[1])),
    JSON.stringify({ conversationId: String(conv), message: toMessageView(message) }),
  );
  assert.doesNotMatch(JSON.stringify(renderMessage(got[0])), /612 345 678/);
});

test('conversation:updated is the masked conversation view with the consent badges', () => {
  const bus = new EventBus();
  const got = capture(bus, 'conversation.updated');
  const conversation = {
    _id: conv,
    channelId: channel,
    contactId: contact,
    status: 'open',
    assigneeId: new Types.ObjectId(),
    lastMessageAt: new Date('2026-01-02T03:04:05Z'),
    lastInboundAt: new Date('2026-01-02T03:04:05Z'),
    windowExpiresAt: null,
    unreadCount: 3,
    attribution: { source: 'ctwa', hasClickId: true, adId: 'ad1' },
    lead: { stage: 'new', value: null, currency: null },
  };
  const person = { _id: contact, handle: 'Blue Fox 12', displayName: 'Ana', phone: '+34612345678', erasedAt: null };
  const consent = { marketing: 'withdrawn', adMeasurement: 'unknown' } as const;
  publishConversationUpdated(
    bus,
    { conversation: conversationFact(conversation), contact: contactFact(person) },
    { kind: 'contact', id: String(contact) },
  );
  const e = got[0];
  assert.equal(
    JSON.stringify(renderConversation(e, e.contact!, consent)),
    JSON.stringify({ conversation: toConversationView(conversation, person, consent) }),
  );
  assert.doesNotMatch(JSON.stringify(renderConversation(e, e.contact!, consent)), /612345678/);
});

test('review:new: a held message is its pending item; an abuse report is the report view', () => {
  const bus = new EventBus();
  const got = capture(bus, 'review.created');
  const created = capture(bus, 'message.created');
  publishMessageCreated(bus, message, { kind: 'user', id: 'u1' });
  publishReviewCreated(bus, { type: 'held_message', message: created[0].message, actor: created[0].actor });
  const view = toMessageView(message);
  assert.equal(
    JSON.stringify(renderReviewItem(got[0])),
    JSON.stringify({
      item: {
        id: view.id,
        type: 'held_message',
        conversationId: String(conv),
        createdAt: view.createdAt,
        text: view.text,
        reason: 'Needs a look',
        status: 'pending',
      },
    }),
  );
  const report = {
    _id: new Types.ObjectId(),
    conversationId: conv,
    channelId: channel,
    contactId: contact,
    messageId: message._id,
    language: 'es',
    status: 'open',
    createdAt: new Date('2026-01-02T03:04:05Z'),
    resolvedAt: null,
    resolvedBy: null,
    resolutionNote: null,
  };
  publishReviewCreated(bus, { type: 'abuse_report', report, actor: { kind: 'contact', id: String(contact) } });
  assert.equal(JSON.stringify(renderReviewItem(got[1])), JSON.stringify({ item: toReportView(report) }));
});
