// The sandbox customer phone end to end over HTTP: a message after tapping a demo ad goes through a signed
// Cloud-format webhook into the inbox (conversation with the demo ad's attribution); a business reply sent through
// the sandbox adapter reaches the phone live (SSE) and in its history; displaying it sends delivered + read.
// Everything runs in a signed-in admin session. (Disabled sandbox: sandbox-disabled.test.ts; who may use it:
// sandbox-access.test.ts.)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { Session, nextEvent } from '../../helpers/http.js';
import { settle } from '../../helpers/webhooks.js';
import { sandboxCaller, sandboxSession } from '../../helpers/sandbox.js';
import { ChannelModel } from '../../../server/src/models/channel.js';
import { ConversationModel } from '../../../server/src/models/conversation.js';
import { MessageModel } from '../../../server/src/models/message.js';
import type { Conversation, Message } from '../../../shared/src/index.js';

let srv: TestServer;
let admin: Session;
const PHONE = '15550142424';

before(async () => {
  srv = await startTestServer();
  admin = await sandboxSession(srv);
});
after(() => srv.close());

const api = async (method: string, path: string, body?: unknown) => {
  const res = await sandboxCaller(admin)(method, path, body);
  return { status: res.status, body: res.body };
};

/** Reads Server-Sent Events from the phone's live stream until `want` messages arrived. */
async function streamReplies(
  phone: string,
  want: number,
  ms = 3000,
): Promise<{ ready: Promise<void>; done: Promise<any[]> }> {
  const ctrl = new AbortController();
  const res = await fetch(`${srv.baseUrl}/sandbox/api/events?phone=${phone}`, {
    signal: ctrl.signal,
    headers: { cookie: admin.cookie },
  });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
  const got: any[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  const done = (async () => {
    const timer = setTimeout(() => ctrl.abort(), ms);
    try {
      while (got.length < want) {
        const { value, done: end } = await reader.read();
        if (end) break;
        buf += decoder.decode(value, { stream: true });
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const data = frame.split('\n').find((l) => l.startsWith('data: '));
          if (frame.includes('event: message') && data) got.push(JSON.parse(data.slice(6)));
        }
      }
    } catch {
      /* aborted */
    } finally {
      clearTimeout(timer);
      ctrl.abort();
    }
    return got;
  })();
  return { ready: Promise.resolve(), done };
}

test('the sandbox channel exists with its own app secret, and the page is served', async () => {
  const ch = await ChannelModel.findOne({ kind: 'sandbox' }).select('+secrets').lean();
  assert.ok(ch);
  assert.match(ch.externalId, /^\d{10,20}$/);
  assert.match((ch.secrets as { appSecret: string }).appSecret, /^[a-f0-9]{64}$/);
  assert.equal(ch.displayNumber, '+1 555 0100');
  const page = await fetch(`${srv.baseUrl}/sandbox`, { headers: { cookie: admin.cookie } });
  if (existsSync(join(import.meta.dirname, '..', '..', '..', 'dist', 'client', 'sandbox.html'))) {
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Simulator/);
  } else {
    assert.equal(page.status, 503);
  }
  const svg = await fetch(`${srv.baseUrl}/sandbox/demo-ads/120000000000900001.svg`);
  assert.equal(svg.status, 200);
  assert.match(svg.headers.get('content-type') ?? '', /image\/svg\+xml/);
  assert.equal((await fetch(`${srv.baseUrl}/sandbox/demo-ads/nope.svg`)).status, 404);
});

test('round trip: tap a demo ad, write → conversation with the ad; reply → live on the phone; displayed → read', async () => {
  const info = await api('GET', '/info');
  assert.equal(info.status, 200);
  assert.equal(info.body.business.displayNumber, '+1 555 0100');
  const demo = info.body.ads.filter((a: { demo: boolean }) => a.demo);
  assert.equal(demo.length, 2);
  const ad = demo[0];

  const sock = await admin.socket();
  await new Promise((r) => setTimeout(r, 50));
  const created = nextEvent<{ message: Message }>(sock, 'message:new', 2000);
  const updated = nextEvent<{ conversation: Conversation }>(sock, 'conversation:updated', 2000);
  const sent = await api('POST', '/messages', {
    phone: `+${PHONE}`,
    name: 'Tess Tester',
    text: 'Is the <b>jacket</b> in stock?',
    adId: ad.id,
  });
  assert.equal(sent.status, 201, JSON.stringify(sent.body));
  assert.match(sent.body.message.id, /^wamid\.SANDBOX/);
  assert.equal(sent.body.message.from, 'customer');
  const { message } = await created;
  assert.equal(message.text, 'Is the <b>jacket</b> in stock?');
  const { conversation } = await updated;
  assert.equal(conversation.contact.displayName, 'Tess Tester');
  assert.equal(conversation.attribution?.source, 'ctwa');
  assert.equal(conversation.attribution?.adId, ad.id);
  assert.equal(conversation.attribution?.headline, ad.headline);
  assert.equal(conversation.attribution?.mediaUrl, ad.imageUrl);
  assert.equal(conversation.attribution?.hasClickId, true);
  const sandboxChannel = await ChannelModel.findOne({ kind: 'sandbox' }).lean();
  assert.equal(conversation.channel, String(sandboxChannel!._id));

  // A second message, no ad tap: same conversation, no referral on it.
  assert.equal(
    (await api('POST', '/messages', { phone: PHONE, name: 'Tess Tester', text: 'Size M please' })).status,
    201,
  );
  await settle(srv);
  const second = await MessageModel.findOne({ text: 'Size M please' }).lean();
  assert.equal(String(second!.conversationId), conversation.id);
  assert.equal(second!.referral, null);

  // The business replies through the sandbox adapter (what the outbox does), and stores the provider id.
  const live = await streamReplies(PHONE, 1);
  await new Promise((r) => setTimeout(r, 50));
  const adapter = await srv.server.inbox.adapterFor(String(sandboxChannel!._id));
  const result = await adapter.send({
    to: { kind: 'wa_id', value: PHONE },
    kind: 'text',
    text: 'Yes! Size M in blue.',
  });
  assert.equal(result.ok, true);
  const providerMessageId = (result as { providerMessageId: string }).providerMessageId;
  assert.match(providerMessageId, /^wamid\.SANDBOX[0-9A-F]{24}$/);
  const out = await MessageModel.create({
    conversationId: conversation.id,
    channelId: sandboxChannel!._id,
    contactId: conversation.contact.id,
    direction: 'out',
    kind: 'text',
    text: 'Yes! Size M in blue.',
    status: 'sent',
    providerMessageId,
  });
  const [reply] = await live.done;
  assert.deepEqual([reply.id, reply.from, reply.text], [providerMessageId, 'business', 'Yes! Size M in blue.']);

  const history = await api('GET', `/messages?phone=${PHONE}`);
  assert.deepEqual(
    history.body.items.map((m: { from: string; text: string }) => [m.from, m.text]),
    [
      ['customer', 'Is the <b>jacket</b> in stock?'],
      ['customer', 'Size M please'],
      ['business', 'Yes! Size M in blue.'],
    ],
  );

  const statuses = nextEvent<{ status: string }>(sock, 'message:status', 2000);
  const read = await api('POST', '/read', { phone: PHONE, ids: [providerMessageId] });
  assert.deepEqual(read, { status: 200, body: { read: 1 } });
  assert.equal((await statuses).status, 'delivered');
  await settle(srv);
  assert.equal((await MessageModel.findById(out._id).lean())!.status, 'read');
  // Marking it read again sends nothing more.
  assert.deepEqual((await api('POST', '/read', { phone: PHONE, ids: [providerMessageId] })).body, { read: 0 });
  sock.close();

  // The ad now appears among "ads seen in conversations" only once (it is a demo ad already listed).
  const again = await api('GET', '/info');
  assert.equal(again.body.ads.filter((a: { id: string }) => a.id === ad.id).length, 1);
});

test('ads seen in real conversations are offered next to the demo ads', async () => {
  await ConversationModel.create({
    channelId: (await ChannelModel.findOne({ kind: 'sandbox' }).lean())!._id,
    contactId: (await MessageModel.findOne({}).lean())!.contactId,
    replyTo: { kind: 'wa_id', value: '15550000000' },
    attribution: { source: 'ctwa', adId: 'AD-SEEN-1', headline: 'Seen ad', hasClickId: true },
  });
  const info = await api('GET', '/info');
  const seen = info.body.ads.find((a: { id: string }) => a.id === 'AD-SEEN-1');
  assert.deepEqual(seen, { id: 'AD-SEEN-1', headline: 'Seen ad', demo: false });
});

test('bad input → 400 naming the field; unknown ad → 400; templates and media reach the phone', async () => {
  const bad = await api('POST', '/messages', { phone: '12', name: '', text: 'x' });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /phone/);
  assert.match(bad.body.error.message, /name/);
  assert.equal(
    (await api('POST', '/messages', { phone: PHONE, name: 'T', text: 'x', adId: 'nope' })).body.error.code,
    'unknown_ad',
  );
  assert.equal((await api('POST', '/messages', { phone: PHONE, name: 'T', text: 'x', extra: 1 })).status, 400);
  assert.equal((await api('GET', '/messages')).status, 400);
  const ch = await ChannelModel.findOne({ kind: 'sandbox' }).lean();
  const adapter = await srv.server.inbox.adapterFor(String(ch!._id));
  const t = await adapter.send({
    to: { kind: 'wa_id', value: PHONE },
    kind: 'template',
    template: { name: 'order_update', language: 'en', params: ['#42'] },
  });
  assert.equal(t.ok, true);
  const img = await adapter.send({
    to: { kind: 'wa_id', value: PHONE },
    kind: 'image',
    text: 'Blue one',
    media: { bytes: Buffer.from('IMG'), mimeType: 'image/png', filename: 'blue.png' },
  });
  assert.equal(img.ok, true);
  const history = await api('GET', `/messages?phone=${PHONE}`);
  const last2 = history.body.items.slice(-2);
  assert.equal(last2[0].text, '📋 Template “order_update” (en): #42');
  assert.equal(last2[1].media.mimeType, 'image/png');
  const bytes = await fetch(`${srv.baseUrl}${last2[1].media.url}`, { headers: { cookie: admin.cookie } });
  assert.equal(await bytes.text(), 'IMG');
  const psid = await adapter.send({ to: { kind: 'psid', value: 'x:y' }, kind: 'text', text: 'no' });
  assert.equal(psid.ok, false);
});
