// Inbound media over the fake Graph API: the image of the Cloud sample is fetched (media id → URL → bytes, with the
// bearer token), stored in GridFS and announced with message:updated; a Messenger attachment is fetched from its
// URL; media the provider no longer has ends `unavailable` while the message and its caption stay.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { Session, nextEvent } from '../../helpers/http.js';
import { CHANNEL_ENV, MS, WA, cloudValue, postWebhook, samplePayload } from '../../helpers/webhooks.js';
import { FakeGraphServer } from '../../fakes/graph-server.js';
import { MessageModel } from '../../../server/src/models/message.js';
import type { Message } from '../../../shared/src/index.js';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5, 6, 7, 8, 0xff, 0xd9]);
let graph: FakeGraphServer;
let cdn: Server;
let cdnUrl: string;
let srv: TestServer;
let admin: Session;

before(async () => {
  graph = new FakeGraphServer();
  await graph.start();
  graph.media.set('1480000000000001', { bytes: JPEG, mimeType: 'image/jpeg' });
  cdn = createServer((req, res) => {
    if (req.url === '/att/photo.png') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(Buffer.from('PNGDATA'));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => cdn.listen(0, '127.0.0.1', r));
  cdnUrl = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}`;
  srv = await startTestServer({ env: { ...CHANNEL_ENV, GRAPH_API_BASE_URL: graph.baseUrl } });
  admin = new Session(srv.baseUrl);
  await admin.login(srv.admin.email, srv.admin.password);
});
after(async () => {
  await srv.close();
  await graph.stop();
  await new Promise((r) => cdn.close(r));
});

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

test('Cloud image: fetched with the bearer token, stored in GridFS, message:updated replaces the message', async () => {
  const sock = await admin.socket();
  await new Promise((r) => setTimeout(r, 50));
  const created = nextEvent<{ message: Message }>(sock, 'message:new', 1000);
  const updated = nextEvent<{ message: Message }>(sock, 'message:updated', 3000);
  assert.equal((await postWebhook(srv, 'whatsapp', samplePayload('wa-cloud-image-no-waid.json'))).status, 200);
  const first = (await created).message;
  assert.equal(first.media, undefined, 'not stored yet');
  const later = (await updated).message;
  assert.equal(later.id, first.id);
  assert.equal(later.text, 'Esta es la que vi');
  assert.deepEqual(later.media, {
    url: `/api/media/${first.id}`,
    mimeType: 'image/jpeg',
    filename: 'whatsapp-1480000000000001.jpg',
  });
  sock.close();
  const lookups = graph.requests.filter((r) => r.method === 'GET');
  assert.ok(lookups.length >= 2);
  assert.ok(lookups.every((r) => r.headers.authorization === `Bearer ${WA.accessToken}`));
  const m = await MessageModel.findById(first.id).lean();
  assert.equal(m!.media!.state, 'stored');
  assert.equal(m!.media!.size, JPEG.length);
  const file = await srv.server.inbox.openMediaStream(String(m!.media!.fileId));
  assert.equal(file!.contentType, 'image/jpeg');
  assert.equal(file!.length, JPEG.length);
  assert.deepEqual(await readAll(file!.stream), JPEG);
  assert.equal(await srv.server.inbox.openMediaStream('000000000000000000000000'), null);
  assert.equal(await srv.server.inbox.openMediaStream('not-an-id'), null);
});

test('media WhatsApp no longer has → unavailable; the caption stays', async () => {
  const body = cloudValue({
    contacts: [{ profile: { name: 'Gone' }, wa_id: '34600000201' }],
    messages: [
      {
        from: '34600000201',
        id: 'wamid.GONE1',
        timestamp: '1763900900',
        type: 'document',
        document: { id: '999', mime_type: 'application/pdf', filename: 'invoice.pdf', caption: 'my invoice' },
      },
    ],
  });
  const sock = await admin.socket();
  await new Promise((r) => setTimeout(r, 50));
  const updated = nextEvent<{ message: Message }>(sock, 'message:updated', 3000);
  assert.equal((await postWebhook(srv, 'whatsapp', body)).status, 200);
  const view = (await updated).message;
  assert.equal(view.text, 'my invoice');
  assert.equal(view.media, undefined);
  sock.close();
  const m = await MessageModel.findOne({ providerMessageId: 'wamid.GONE1' }).lean();
  assert.equal(m!.media!.state, 'unavailable');
  assert.equal(m!.media!.filename, 'invoice.pdf');
});

test('Messenger attachment: fetched from its URL without the page token', async () => {
  const body = {
    object: 'page',
    entry: [
      {
        id: MS.pageId,
        time: Date.now(),
        messaging: [
          {
            sender: { id: '7000000000000009' },
            recipient: { id: MS.pageId },
            timestamp: Date.now(),
            message: { mid: 'm_ATT1', attachments: [{ type: 'image', payload: { url: `${cdnUrl}/att/photo.png` } }] },
          },
        ],
      },
    ],
  };
  const sock = await admin.socket();
  await new Promise((r) => setTimeout(r, 50));
  const updated = nextEvent<{ message: Message }>(sock, 'message:updated', 3000);
  assert.equal((await postWebhook(srv, 'messenger', body)).status, 200);
  const view = (await updated).message;
  assert.equal(view.kind, 'image');
  assert.equal(view.media?.mimeType, 'image/png');
  sock.close();
  const m = await MessageModel.findOne({ providerMessageId: 'm_ATT1' }).lean();
  const file = await srv.server.inbox.openMediaStream(String(m!.media!.fileId));
  assert.equal((await readAll(file!.stream)).toString(), 'PNGDATA');
});
