// Stored media is served by its sniffed type, never by the type the uploader or provider declared: HTML (declared
// text/html or image/png), SVG with a script and JavaScript come back as application/octet-stream attachments; a
// real PNG (even one declared text/html) is inline image/png. Every media response carries nosniff, a sandboxing
// CSP and a same-origin CORP: the console's /api/media route (agent attachments and downloaded provider media)
// and the sandbox phone's /sandbox/api/media route alike.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type World, startWorld, waCustomerWrites, waitFor } from '../../helpers/world.js';
import { postWebhook, cloudValue } from '../../helpers/webhooks.js';
import { MessageModel } from '../../../server/src/models/message.js';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGOQz48BIgYIBQAYsgOp+nRl6gAAAABJRU5ErkJggg==',
  'base64',
);
const HTML = Buffer.from('<!doctype html><html><body><script>document.title = "PWNED"</script></body></html>');
const SVG = Buffer.from(
  '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>',
);
const JS = Buffer.from('fetch("/api/users", { method: "POST" });');
const CSP = "default-src 'none'; sandbox";

let w: World;
let conv: string;

before(async () => {
  w = await startWorld();
  conv = (await waCustomerWrites(w, '34600000777')).conversationId;
});
after(() => w.close());

/** Uploads a file as an attachment the way the console does; returns the created message. */
async function upload(
  conversationId: string,
  bytes: Buffer,
  type: string,
  name: string,
): Promise<{ id: string; media?: { url: string } }> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
  const res = await fetch(`${w.srv.baseUrl}/api/conversations/${conversationId}/attachments`, {
    method: 'POST',
    headers: { cookie: w.admin.cookie, 'x-csrf-token': w.admin.csrfToken },
    body: form,
  });
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()) as { id: string; media?: { url: string } };
}

async function get(path: string, withCookie = true): Promise<Response> {
  return fetch(w.srv.baseUrl + path, { headers: withCookie ? { cookie: w.admin.cookie } : {} });
}

function assertProtective(res: Response): void {
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(res.headers.get('content-security-policy'), CSP);
  assert.equal(res.headers.get('cross-origin-resource-policy'), 'same-origin');
}

async function assertDownloadOnly(res: Response, bytes: Buffer, what: string): Promise<void> {
  assert.equal(res.status, 200, what);
  assert.equal(res.headers.get('content-type'), 'application/octet-stream', what);
  assert.match(res.headers.get('content-disposition') ?? '', /^attachment; filename="/, what);
  assertProtective(res);
  assert.deepEqual(Buffer.from(await res.arrayBuffer()), bytes, `${what}: the bytes are served unchanged`);
}

describe('console media route /api/media/:messageId', () => {
  const active: Array<[string, Buffer, string, string]> = [
    ['HTML declared text/html', HTML, 'text/html', 'page.html'],
    ['HTML declared image/png', HTML, 'image/png', 'photo.png'],
    ['SVG with a script', SVG, 'image/svg+xml', 'logo.svg'],
    ['JavaScript', JS, 'application/javascript', 'app.js'],
    ['JavaScript declared image/jpeg', JS, 'image/jpeg', 'app.jpg'],
    ['XHTML', HTML, 'application/xhtml+xml', 'page.xhtml'],
  ];
  for (const [what, bytes, type, name] of active) {
    it(`${what} → attachment, application/octet-stream, nosniff + sandbox CSP`, async () => {
      const msg = await upload(conv, bytes, type, name);
      await assertDownloadOnly(await get(msg.media!.url), bytes, what);
    });
  }

  it('a real PNG is inline image/png with the protective headers, even when declared text/html', async () => {
    for (const type of ['image/png', 'text/html']) {
      const msg = await upload(conv, PNG, type, 'chart.png');
      const res = await get(msg.media!.url);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'image/png', type);
      assert.match(res.headers.get('content-disposition') ?? '', /^inline; filename="chart\.png"/);
      assert.equal(res.headers.get('content-length'), String(PNG.length));
      assertProtective(res);
      assert.deepEqual(Buffer.from(await res.arrayBuffer()), PNG);
    }
  });

  it('the file name in Content-Disposition cannot break the header (RFC 6266 filename*)', async () => {
    const msg = await upload(conv, HTML, 'text/html', 'factura "é";\tx=1 привет.html');
    const res = await get(msg.media!.url);
    const cd = res.headers.get('content-disposition') ?? '';
    assert.match(cd, /^attachment; filename="[\w.\- ()[\]+,=@]+"; filename\*=UTF-8''[\w.%\-!~]+$/);
    assert.ok(cd.endsWith(encodeURIComponent('привет.html')), cd);
    await res.arrayBuffer();
  });

  it('media downloaded from the provider is sniffed too (HTML the provider calls image/jpeg)', async () => {
    w.graph.media.set('1480000000000777', { bytes: HTML, mimeType: 'image/jpeg' });
    const body = cloudValue({
      contacts: [{ profile: { name: 'Eve' }, wa_id: '34600000778' }],
      messages: [
        {
          from: '34600000778',
          id: 'wamid.EVILIMG1',
          timestamp: String(Math.floor(Date.now() / 1000)),
          type: 'image',
          image: { id: '1480000000000777', mime_type: 'image/jpeg' },
        },
      ],
    });
    assert.equal((await postWebhook(w.srv, 'whatsapp', body)).status, 200);
    const m = await waitFor(async () => {
      const doc = await MessageModel.findOne({ providerMessageId: 'wamid.EVILIMG1' }).lean();
      return doc?.media?.state === 'stored' ? doc : null;
    }, 'inbound media stored');
    assert.equal(m.media!.mimeType, 'image/jpeg', 'the declared type is what the record says');
    await assertDownloadOnly(await get(`/api/media/${String(m._id)}`), HTML, 'provider media');
  });

  it('forbidden: no session → 401 and no bytes', async () => {
    const msg = await upload(conv, PNG, 'image/png', 'x.png');
    const res = await get(msg.media!.url, false);
    assert.equal(res.status, 401);
    assert.ok(!Buffer.from(await res.arrayBuffer()).includes(PNG.subarray(0, 8)));
  });
});

describe('sandbox phone media route /sandbox/api/media/:id', () => {
  const sandbox = (method: string, path: string, body?: unknown) =>
    w.admin.request(method, `/sandbox/api${path}`, body);
  const PHONE = '15550177001';
  let sandboxConv: string;

  before(async () => {
    const sent = await sandbox('POST', '/messages', { phone: PHONE, name: 'Sandy', text: 'Send me the file please' });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const inbound = await waitFor(
      () => MessageModel.findOne({ text: 'Send me the file please', direction: 'in' }).lean(),
      'sandbox message in the inbox',
    );
    sandboxConv = String(inbound.conversationId);
  });

  /** The phone's copy of the latest business reply with a file (its /sandbox/api/media URL). */
  async function phoneMediaUrl(filename: string): Promise<string> {
    return waitFor(async () => {
      const h = await sandbox('GET', `/messages?phone=${PHONE}`);
      const item = (h.body?.items ?? []).filter((i: any) => i.media?.filename === filename).at(-1);
      return item?.media?.url ?? null;
    }, `${filename} on the phone`);
  }

  for (const [what, bytes, type, name] of [
    ['HTML declared text/html', HTML, 'text/html', 'sbx.html'],
    ['HTML declared image/png', HTML, 'image/png', 'sbx-fake.png'],
    ['SVG with a script', SVG, 'image/svg+xml', 'sbx.svg'],
    ['JavaScript', JS, 'text/javascript', 'sbx.js'],
  ] as Array<[string, Buffer, string, string]>) {
    it(`${what} → attachment, application/octet-stream, nosniff + sandbox CSP`, async () => {
      await upload(sandboxConv, bytes, type, name);
      await assertDownloadOnly(await get(await phoneMediaUrl(name)), bytes, what);
    });
  }

  it('a real PNG is inline image/png with the protective headers', async () => {
    await upload(sandboxConv, PNG, 'image/png', 'sbx-real.png');
    const res = await get(await phoneMediaUrl('sbx-real.png'));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/png');
    assert.match(res.headers.get('content-disposition') ?? '', /^inline; filename="sbx-real\.png"/);
    assertProtective(res);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), PNG);
  });

  it('an unknown id → 404', async () => {
    assert.equal((await get('/sandbox/api/media/wamid.nothing-here')).status, 404);
  });
});
