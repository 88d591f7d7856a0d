// A burst through the real door: many customers at once, one customer writing fast, and redeliveries inside the
// burst. The intake applies many events concurrently with batched writes; this checks that nothing is lost or
// doubled: each message stored and pushed to the agent once, one contact / conversation / lead per customer, the
// busy customer's unread count and preview exact (newest by provider timestamp), every event marked done.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startWorld, waitFor } from '../../helpers/world.js';
import { cloudText, postWebhook, settle } from '../../helpers/webhooks.js';
import { collect } from '../../helpers/http.js';
import { MessageModel } from '../../../server/src/models/message.js';
import { ConversationModel } from '../../../server/src/models/conversation.js';
import { ContactModel } from '../../../server/src/models/contact.js';
import { LeadModel } from '../../../server/src/models/lead.js';
import { WebhookEventModel } from '../../../server/src/models/webhook-event.js';
import { mongoWebhookEvents } from '../../../server/src/data/webhook-events.js';
import { newId } from '../../../server/src/data/ids.js';

test('a burst of many customers, one fast writer and redeliveries: every message once, counts exact', async () => {
  const w = await startWorld();
  try {
    const socket = await w.admin.socket();
    const pushed = collect<{ message: { text: string | null } }>(socket, 'message:new');
    const t0 = Math.floor(Date.now() / 1000) - 100;
    const bodies: object[] = [];
    for (let i = 0; i < 60; i++)
      bodies.push(cloudText({ waId: `3462000${String(i).padStart(4, '0')}`, id: `wamid.B${i}`, text: `many ${i}` }));
    // The fast writer: 30 messages with increasing provider timestamps, posted all at once.
    for (let k = 0; k < 30; k++)
      bodies.push(cloudText({ waId: '34629999999', id: `wamid.F${k}`, text: `fast ${k}`, ts: t0 + k }));
    // Meta redelivers a few while the burst is in flight.
    for (let i = 0; i < 10; i++)
      bodies.push(cloudText({ waId: `3462000${String(i).padStart(4, '0')}`, id: `wamid.B${i}`, text: `many ${i}` }));
    const answers = await Promise.all(bodies.map((b) => postWebhook(w.srv, 'whatsapp', b)));
    assert.ok(answers.every((a) => a.status === 200));
    await settle(w.srv);
    await waitFor(async () => pushed.length >= 90, 'every message pushed', 10_000);
    await new Promise((r) => setTimeout(r, 200)); // a doubled push would arrive by now

    const texts = pushed.map((p) => p.message.text).sort();
    assert.equal(texts.length, 90, 'each message pushed once');
    assert.equal(new Set(texts).size, 90);
    assert.equal(await MessageModel.countDocuments({ direction: 'in' }), 90, 'each message stored once');
    assert.equal(await ContactModel.countDocuments({}), 61);
    assert.equal(await ConversationModel.countDocuments({}), 61);
    assert.equal(await LeadModel.countDocuments({}), 61, 'one lead per new chat');
    const fast = await MessageModel.findOne({ providerMessageId: 'wamid.F0' }).lean();
    const conv = await ConversationModel.findById(fast!.conversationId).lean();
    assert.equal(conv!.unreadCount, 30);
    assert.equal(conv!.lastMessagePreview, 'fast 29');
    assert.equal(conv!.lastMessageAt!.getTime(), (t0 + 29) * 1000);
    const states = await WebhookEventModel.distinct('state');
    assert.deepEqual(states, ['done']);
    socket.close();
  } finally {
    await w.close();
  }
});

test('beyond what one process holds in memory, events wait stored as pending and are claimed as room frees up', async () => {
  const w = await startWorld();
  try {
    const proc = w.srv.server.inbox.processor as unknown as { deps: { maxHeld?: number; concurrency?: number } };
    proc.deps.maxHeld = 3;
    proc.deps.concurrency = 2;
    const bodies = Array.from({ length: 40 }, (_, i) =>
      cloudText({ waId: `3462100${String(i % 7).padStart(4, '0')}`, id: `wamid.H${i}`, text: `held ${i}` }),
    );
    const answers = await Promise.all(bodies.map((b) => postWebhook(w.srv, 'whatsapp', b)));
    assert.ok(answers.every((a) => a.status === 200));
    assert.ok((await WebhookEventModel.countDocuments({ owner: null, state: 'pending' })) > 0, 'some waited pending');
    await waitFor(async () => (await MessageModel.countDocuments({ direction: 'in' })) === 40, 'all 40 stored', 10_000);
    await settle(w.srv);
    assert.deepEqual(await WebhookEventModel.distinct('state'), ['done']);
  } finally {
    await w.close();
  }
});

test('near-limit bodies arriving in one turn are stored in insert commands under the 16 MiB command limit', async () => {
  const w = await startWorld();
  try {
    // 24 bodies of ~0.9 MB reach the store in the same event-loop turn: one command for all of them would be
    // ~21 MB, which MongoDB (and the driver) refuse; the store splits the batch by bytes.
    const body = JSON.stringify({ object: 'whatsapp_business_account', padding: 'x'.repeat(900_000) });
    const now = new Date();
    const docs = Array.from({ length: 24 }, () => ({
      _id: newId(),
      source: 'whatsapp' as const,
      channelId: null,
      body,
      receivedAt: now,
      attempts: 0,
      state: 'pending' as const,
      owner: null,
      lockedUntil: new Date(now.getTime() + 3_600_000),
      lastError: null,
      processedAt: null,
      expireAt: new Date(now.getTime() + 86_400_000),
    }));
    await Promise.all(docs.map((d) => mongoWebhookEvents.insert(d)));
    assert.equal(await WebhookEventModel.countDocuments({ _id: { $in: docs.map((d) => d._id) } }), 24);
  } finally {
    await w.close();
  }
});
