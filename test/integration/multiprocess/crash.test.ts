// Crash safety (SIGKILL): a burst of signed webhooks to a server process on a data folder, the process killed
// with SIGKILL mid-burst, restarted on the same folder. Every delivery answered 2xx is stored exactly once after
// the restart; every reply queued before the kill is sent exactly once or marked failed — never sent twice.
// Must never leave a process behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { startEmbeddedServer } from '@parley/embedded-mongo';
import { startAppProcess, stopProcess } from '../../helpers/app-process.js';
import { Session } from '../../helpers/http.js';
import { CHANNEL_ENV, cloudText, postWebhook } from '../../helpers/webhooks.js';
import { FakeGraphServer } from '../../fakes/graph-server.js';

const ADMIN = { email: 'admin@parley.test', password: 'correct-horse-battery' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test(
  'SIGKILL mid-burst loses no acknowledged webhook and never sends a reply twice',
  { timeout: 180_000, skip: Boolean(process.env.MONGODB_URI) && 'uses the embedded engine on a data folder' },
  async () => {
    const graph = new FakeGraphServer();
    await graph.start();
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-crash-'));
    const env = {
      ...CHANNEL_ENV,
      DATA_DIR: dataDir,
      MONGODB_URI: '',
      EMBEDDED_DB_IN_MEMORY: '0',
      MONGODB_DB: 'parley_crash',
      SESSION_SECRET: 'c'.repeat(40),
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      GRAPH_API_BASE_URL: graph.baseUrl,
      OUTBOX_RETRY_BASE_MS: '20',
      OUTBOX_LEASE_MS: '2000',
      INTAKE_LEASE_MS: '2000',
    };
    let app = await startAppProcess(env);
    try {
      // A customer to reply to.
      const first = cloudText({ waId: '34600000100', id: 'wamid.CRASH-FIRST', text: 'Hola' });
      assert.equal((await postWebhook(app.url, 'whatsapp', first)).status, 200);
      const admin = new Session(app.url);
      await admin.login(ADMIN.email, ADMIN.password);
      let conversationId = '';
      for (let i = 0; i < 200 && !conversationId; i++) {
        conversationId = (await admin.get('/api/conversations')).body.items?.[0]?.id ?? '';
        if (!conversationId) await sleep(25);
      }
      assert.ok(conversationId, 'the first message was ingested');

      // Replies in flight when the process dies: the fake Graph API answers each after 400 ms.
      const replies = Array.from({ length: 8 }, (_, i) => `reply ${i}`);
      graph.replyNext(
        ...replies.map((_, i) => ({
          status: 200,
          body: { messaging_product: 'whatsapp', messages: [{ id: `wamid.OUT${i}` }] },
          delayMs: 400,
        })),
      );
      for (const text of replies)
        assert.equal((await admin.post(`/api/conversations/${conversationId}/messages`, { text })).status, 201);

      // The burst: 8 concurrent senders; SIGKILL once 60 deliveries were acknowledged.
      const acked: string[] = [];
      let next = 0;
      let killed = false;
      const exited = new Promise<void>((resolve) =>
        app.proc.once('exit', () => {
          killed = true;
          resolve();
        }),
      );
      const senders = Array.from({ length: 8 }, async () => {
        while (next < 400 && !killed) {
          const id = `wamid.CRASH${next++}`;
          const body = cloudText({ waId: `3460000${String(next % 50).padStart(4, '0')}`, id, text: `burst ${id}` });
          const r = await postWebhook(app.url, 'whatsapp', body).catch(() => null);
          if (r?.status === 200) acked.push(id);
          if (acked.length >= 60 && !killed) app.proc.kill('SIGKILL');
        }
      });
      await Promise.all(senders);
      await exited;
      assert.ok(acked.length >= 60, `${acked.length} deliveries acknowledged before the kill`);

      // Restart on the same folder; let the intake and the outbox finish (abandoned sends expire after 2 s).
      app = await startAppProcess(env);
      await sleep(6_000);
      await stopProcess(app.proc, 'SIGTERM');

      const engine = await startEmbeddedServer({ dbpath: join(dataDir, 'db') });
      const client = new MongoClient(engine.uri);
      try {
        await client.connect();
        const messages = client.db('parley_crash').collection('messages');
        const stored = await messages
          .aggregate([
            { $match: { providerMessageId: { $in: acked } } },
            { $group: { _id: '$providerMessageId', n: { $sum: 1 } } },
          ])
          .toArray();
        assert.equal(stored.length, acked.length, 'every acknowledged delivery is stored');
        assert.ok(
          stored.every((s) => s.n === 1),
          'and stored once',
        );
        for (const text of replies) {
          const m = await messages.findOne({ text, direction: 'out' });
          assert.ok(m, `reply "${text}" is stored`);
          const sends = graph.sends().filter((r) => r.json?.text?.body === text).length;
          assert.ok(sends <= 1, `reply "${text}" reached the provider ${sends} times`);
          assert.ok(['sent', 'delivered', 'read', 'failed'].includes(m.status), `reply "${text}" ended ${m.status}`);
          if (m.status !== 'failed') assert.equal(sends, 1, `reply "${text}" is marked ${m.status} and was sent once`);
        }
      } finally {
        await client.close();
        await engine.close();
      }
    } finally {
      await stopProcess(app.proc, 'SIGKILL');
      await graph.stop();
    }
  },
);
