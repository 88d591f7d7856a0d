// Child process of the pipeline benchmark (never part of npm test). Mode "bare": an express endpoint that only
// verifies the webhook HMAC and parses the JSON — the yardstick. Mode "server": the real Parley server (embedded
// engine on a temp folder unless MONGODB_URI is set) that can also seed conversations/messages on request (IPC).
// Reports {ready, url} to the parent; must never outlive it.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import mongoose from 'mongoose';
import { loadConfig } from '../../server/src/config.js';
import { startServer } from '../../server/src/server.js';
import { ContactModel } from '../../server/src/models/contact.js';
import { ConversationModel } from '../../server/src/models/conversation.js';
import { MessageModel } from '../../server/src/models/message.js';
import { ChannelModel } from '../../server/src/models/channel.js';

const mode = process.argv[2];
const SECRET = process.env.BENCH_SECRET ?? 'bench-secret';
process.on('disconnect', () => process.exit(0));
process.on('SIGINT', () => process.exit(0)); // lets --cpu-prof write its profile

async function bare(): Promise<void> {
  const app = express();
  app.post('/webhooks/whatsapp', express.raw({ type: '*/*', limit: '1mb' }), (req, res) => {
    const sig = req.get('x-hub-signature-256') ?? '';
    const expected = `sha256=${createHmac('sha256', SECRET)
      .update(req.body as Buffer)
      .digest('hex')}`;
    if (sig.length !== expected.length || !timingSafeEqual(Buffer.from(sig), Buffer.from(expected))) {
      res.status(401).end();
      return;
    }
    JSON.parse((req.body as Buffer).toString('utf8'));
    res.json({ received: true });
  });
  const server = createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  process.send!({ ready: true, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

async function seed(conversations: number, messagesPer: number): Promise<void> {
  const channel = await ChannelModel.findOne({ kind: 'whatsapp-cloud' }).lean();
  const t0 = Date.now() - conversations * 1000;
  const batch = 2_000;
  for (let start = 0; start < conversations; start += batch) {
    const contacts = [];
    const convs = [];
    const msgs = [];
    for (let i = start; i < Math.min(conversations, start + batch); i++) {
      const contactId = new mongoose.Types.ObjectId();
      const convId = new mongoose.Types.ObjectId();
      const at = new Date(t0 + i * 1000);
      contacts.push({
        _id: contactId,
        handle: `Seed Contact ${i}`,
        displayName: `Seeded ${i}`,
        phone: `3460${String(i).padStart(7, '0')}`,
      });
      convs.push({
        _id: convId,
        channelId: channel!._id,
        contactId,
        status: i % 5 === 0 ? 'closed' : 'open',
        replyTo: { kind: 'wa_id', value: `3460${String(i).padStart(7, '0')}` },
        lastMessageAt: at,
        lastInboundAt: at,
        windowExpiresAt: new Date(at.getTime() + 86_400_000),
        unreadCount: i % 3,
        lastMessagePreview: `question number ${i}`,
        searchText: `seed contact ${i} seeded ${i} question number ${i}`,
      });
      for (let k = 0; k < messagesPer; k++) {
        msgs.push({
          conversationId: convId,
          channelId: channel!._id,
          contactId,
          direction: k % 2 ? 'out' : 'in',
          kind: 'text',
          text: `message ${k} of conversation ${i}`,
          status: k % 2 ? 'read' : 'received',
          providerMessageId: `wamid.SEED${i}_${k}`,
          createdAt: new Date(at.getTime() - (messagesPer - k) * 1000),
        });
      }
    }
    await ContactModel.insertMany(contacts, { lean: true });
    await ConversationModel.insertMany(convs, { lean: true });
    await MessageModel.insertMany(msgs, { lean: true });
  }
}

async function server(): Promise<void> {
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'development',
    SESSION_SECRET: 'b'.repeat(40),
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
    WHATSAPP_PHONE_NUMBER_ID: '109400000000001',
    WHATSAPP_ACCESS_TOKEN: 'bench-token',
    WHATSAPP_APP_SECRET: SECRET,
    WHATSAPP_VERIFY_TOKEN: 'bench-verify',
    ADMIN_EMAIL: 'bench@parley.test',
    ADMIN_PASSWORD: 'bench-password-123',
  });
  const srv = await startServer(config);
  process.on('message', (msg: { seed?: { conversations: number; messagesPer: number } }) => {
    if (!msg.seed) return;
    const t = Date.now();
    seed(msg.seed.conversations, msg.seed.messagesPer).then(
      () => process.send!({ seeded: true, ms: Date.now() - t }),
      (err) => process.send!({ seeded: false, error: String(err) }),
    );
  });
  process.send!({ ready: true, url: `http://127.0.0.1:${srv.port}` });
}

(mode === 'bare' ? bare() : server()).catch((err) => {
  console.error(err);
  process.exit(1);
});
