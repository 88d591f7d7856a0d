// Crash recovery of the intake store: an event acknowledged (stored) but not processed before the process stopped
// is processed when the server starts again on the same data; failing events retry and end `failed` with lastError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer } from '../../helpers/server.js';
import { CHANNEL_ENV, cloudText, postWebhook, settle } from '../../helpers/webhooks.js';
import { WebhookEventModel } from '../../../server/src/models/webhook-event.js';
import { MessageModel } from '../../../server/src/models/message.js';
import { ConversationModel } from '../../../server/src/models/conversation.js';

test('an event stored before a stop is processed after the restart, exactly once', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-intake-'));
  const env = {
    ...CHANNEL_ENV,
    DATA_DIR: dataDir,
    EMBEDDED_DB_IN_MEMORY: '0',
    MONGODB_DB: `parley_intake_${Date.now()}`,
    SESSION_SECRET: 'i'.repeat(40),
  };
  const first = await startTestServer({ env });
  // Acknowledged through the real door, processed normally.
  assert.equal(
    (await postWebhook(first, 'whatsapp', cloudText({ id: 'wamid.BEFORE', from: '34600000101', text: 'before' })))
      .status,
    200,
  );
  await settle(first);
  // Stored as the webhook route stores it, but the process "dies" before the processor gets to it.
  await first.server.inbox.processor.stop();
  const body = JSON.stringify(cloudText({ id: 'wamid.CRASH1', from: '34600000101', text: 'stored, not processed' }));
  await WebhookEventModel.create({
    source: 'whatsapp',
    body,
    receivedAt: new Date(),
    state: 'pending',
    expireAt: new Date(Date.now() + 86_400_000),
  });
  // A second one was mid-processing when the process died (its lease has run out).
  const body2 = JSON.stringify(cloudText({ id: 'wamid.CRASH2', from: '34600000101', text: 'lease expired' }));
  await WebhookEventModel.create({
    source: 'whatsapp',
    body: body2,
    receivedAt: new Date(),
    state: 'processing',
    attempts: 1,
    lockedUntil: new Date(Date.now() - 1000),
    expireAt: new Date(Date.now() + 86_400_000),
  });
  await first.close();

  const second = await startTestServer({ env });
  try {
    await settle(second);
    const msgs = await MessageModel.find({
      providerMessageId: { $in: ['wamid.BEFORE', 'wamid.CRASH1', 'wamid.CRASH2'] },
    }).lean();
    assert.deepEqual(msgs.map((m) => m.providerMessageId).sort(), ['wamid.BEFORE', 'wamid.CRASH1', 'wamid.CRASH2']);
    const conv = await ConversationModel.findById(msgs[0].conversationId).lean();
    assert.equal(conv!.unreadCount, 3);
    const events = await WebhookEventModel.find({}).lean();
    assert.ok(
      events.every((e) => e.state === 'done'),
      JSON.stringify(events.map((e) => e.state)),
    );
  } finally {
    await second.close();
  }
});

test('an event that keeps failing is retried with backoff and ends failed with lastError', async () => {
  const srv = await startTestServer({ env: CHANNEL_ENV });
  try {
    // Passes the route (valid envelope) but the processor cannot apply it: the channel's adapter fails.
    const proc = srv.server.inbox.processor as unknown as {
      deps: { adapterFor(id: string): Promise<unknown>; backoffMs?: (n: number) => number };
    };
    proc.deps.adapterFor = async () => {
      throw new Error('adapter exploded');
    };
    proc.deps.backoffMs = () => 0;
    assert.equal(
      (await postWebhook(srv, 'whatsapp', cloudText({ id: 'wamid.POISON', from: '34600000102', text: 'x' }))).status,
      200,
    );
    const deadline = Date.now() + 5_000;
    let ev;
    for (;;) {
      srv.server.inbox.processor.kick();
      await settle(srv);
      ev = await WebhookEventModel.findOne({ body: /wamid\.POISON/ }).lean();
      if (ev?.state === 'failed' || Date.now() > deadline) break;
    }
    assert.equal(ev!.state, 'failed');
    assert.equal(ev!.attempts, 5);
    assert.match(ev!.lastError!, /adapter exploded/);
  } finally {
    await srv.close();
  }
});
