// Several workers on one database: an outbound message left `sending` by a process that died (expired lease) is
// marked failed "uncertain" exactly once — never re-sent — even when several outbox workers sweep at the same
// moment (two extra workers here race the server's own). Each worker stands in for one server process.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Types } from 'mongoose';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { MessageModel } from '../../../server/src/models/message.js';
import { OutboxWorker } from '../../../server/src/inbox/outbox.js';
import type { ChannelAdapter } from '../../../server/src/channels/adapter.js';

let srv: TestServer;
before(async () => {
  srv = await startTestServer();
});
after(() => srv.close());

test('an abandoned send is failed once by one of several workers and never re-sent', async () => {
  const msg = await MessageModel.create({
    conversationId: new Types.ObjectId(),
    channelId: new Types.ObjectId(),
    contactId: new Types.ObjectId(),
    direction: 'out',
    kind: 'text',
    text: 'sent by a process that died',
    status: 'queued',
    outbox: { state: 'sending', attempts: 1, nextAttemptAt: new Date(), lockedUntil: new Date(Date.now() - 1_000) },
  });
  const id = String(msg._id);
  const statuses: string[] = [];
  const off = srv.server.bus.subscribe('message.status', (e) => {
    if (e.messageId === id) statuses.push(e.status);
  });
  let sends = 0;
  const adapter = {
    send: () => {
      sends++;
      return Promise.resolve({ ok: true, providerMessageId: 'wamid.NEVER' });
    },
  } as unknown as ChannelAdapter;
  const workers = [1, 2].map(
    () =>
      new OutboxWorker({
        bus: srv.server.bus,
        logger: srv.server.logger,
        adapterFor: () => Promise.resolve(adapter),
        readMedia: () => Promise.resolve(Buffer.alloc(0)),
        applyPendingStatuses: () => Promise.resolve(),
        pollMs: 50,
      }),
  );
  try {
    await Promise.all(workers.map((w) => w.start()));
    await new Promise((r) => setTimeout(r, 2_500)); // past the server's own worker's next poll too
    const stored = await MessageModel.findById(id).lean();
    assert.equal(stored?.status, 'failed');
    assert.equal(stored?.outbox?.state, 'failed');
    assert.equal(stored?.error?.code, 'uncertain');
    assert.deepEqual(statuses, ['failed'], 'one status event, from one worker');
    assert.equal(sends, 0, 'never re-sent');
  } finally {
    off();
    await Promise.all(workers.map((w) => w.stop()));
  }
});
