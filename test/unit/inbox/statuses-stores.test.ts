// Delivery statuses applied by the real inbox service against in-memory stores (no database): a status for a
// provider id not stored yet is parked, applied once the sender stores the id, and never moves a message backwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBus } from '../../../server/src/events/bus.js';
import { applyPendingStatuses, applyStatus } from '../../../server/src/inbox/statuses.js';
import type { InboxStores } from '../../../server/src/data/inbox-stores.js';
import type { MessageLean, MessageStore } from '../../../server/src/data/messages.js';
import type { PendingStatusLean, PendingStatusStore } from '../../../server/src/data/statuses.js';
import { newId } from '../../../server/src/data/ids.js';

function memoryStores() {
  const messages: MessageLean[] = [];
  const parked: PendingStatusLean[] = [];
  const find = (channelId: string, providerMessageId: string) =>
    messages.find((m) => String(m.channelId) === channelId && m.providerMessageId === providerMessageId);
  const messageStore: Partial<MessageStore> = {
    async advanceStatus(channelId, providerMessageId, from, set) {
      const m = find(channelId, providerMessageId);
      if (!m || !from.includes(m.status)) return null;
      Object.assign(m, set);
      return { ...m };
    },
    hasProviderId: async (channelId, providerMessageId) => !!find(channelId, providerMessageId),
  };
  const pendingStatuses: PendingStatusStore = {
    park: async (s) => {
      parked.push({ ...s, _id: newId(), channelId: s.channelId as never, createdAt: new Date() });
    },
    parkedFor: async (channelId, providerMessageId) =>
      parked.filter((p) => String(p.channelId) === channelId && p.providerMessageId === providerMessageId),
    forget: async (ids) => {
      for (const id of ids)
        parked.splice(
          parked.findIndex((p) => String(p._id) === String(id)),
          1,
        );
    },
  };
  const stores = { messages: messageStore as MessageStore, pendingStatuses } as InboxStores;
  return { stores, messages, parked };
}

function outbound(channelId: string, providerMessageId: string): MessageLean {
  const now = new Date();
  return {
    _id: newId(),
    conversationId: newId(),
    channelId: channelId as never,
    contactId: newId(),
    direction: 'out',
    kind: 'text',
    text: 'hello',
    status: 'sent',
    providerMessageId,
    createdAt: now,
    updatedAt: now,
  } as MessageLean;
}

test('a status for an unknown provider id is parked, then applied when the sender stores the id', async () => {
  const { stores, messages, parked } = memoryStores();
  const bus = new EventBus();
  const seen: string[] = [];
  bus.subscribe('message.status', (e) => void seen.push(e.status));
  const deps = { bus, logger: console as never, stores };
  const channelId = String(newId());
  const at = new Date();

  assert.equal(
    await applyStatus(deps, channelId, { providerMessageId: 'wamid.1', status: 'read', timestamp: at }),
    'pending',
  );
  assert.equal(
    await applyStatus(deps, channelId, { providerMessageId: 'wamid.1', status: 'delivered', timestamp: at }),
    'pending',
  );
  assert.equal(parked.length, 2);
  assert.deepEqual(seen, []);

  messages.push(outbound(channelId, 'wamid.1'));
  await applyPendingStatuses(deps, channelId, 'wamid.1');
  // Applied in rank order (delivered before read), then forgotten.
  assert.deepEqual(seen, ['delivered', 'read']);
  assert.equal(messages[0].status, 'read');
  assert.equal(parked.length, 0);

  // Never backwards: a late `delivered` for a read message changes nothing and publishes nothing.
  assert.equal(
    await applyStatus(deps, channelId, { providerMessageId: 'wamid.1', status: 'delivered', timestamp: at }),
    'ignored',
  );
  assert.equal(messages[0].status, 'read');
  assert.deepEqual(seen, ['delivered', 'read']);
});
