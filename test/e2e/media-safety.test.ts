// Browser test of stored XSS through media: an agent uploads, as attachments of a sandbox conversation, a
// JavaScript file that would create a new admin, an HTML page that runs it (inline and by <script src> from the
// media routes) and an SVG with the same script. A logged-in admin opening each of their media URLs — the console's
// /api/media and the sandbox phone's /sandbox/api/media — gets a download and runs nothing: no request leaves the
// page, its title stays, and no user was created. A real PNG still opens as an image. Must never mock the server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { Session } from '../helpers/http.js';
import { assertConsoleBuilt, launchChromium } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const AGENT = { name: 'Eve Agent', email: 'eve.agent@parley.test', password: 'agent-password-42' };
const INTRUDER = 'intruder@evil.test';
const PHONE = '15550166001';
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGOQz48BIgYIBQAYsgOp+nRl6gAAAABJRU5ErkJggg==',
  'base64',
);
/** What the attacker's script does with the admin's session: read the CSRF token, create an admin. */
const ATTACK = `
  document.title = 'PWNED';
  window.parent.__pwned = true;
  fetch('/api/auth/me').then((r) => r.json()).then((me) => fetch('/api/users', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
    body: JSON.stringify({ email: '${INTRUDER}', name: 'Intruder', role: 'admin', password: 'intruder-password-42' }),
  }));`;

describe('uploaded media opened by a logged-in admin executes nothing', () => {
  let server: TestServer;
  let browser: Browser;
  let admin: Session;
  let agent: Session;
  let conversationId: string;
  let context: BrowserContext;
  let page: Page;
  const requests: string[] = [];
  const urls: Record<string, string> = {};

  async function upload(bytes: Buffer | string, type: string, name: string): Promise<{ id: string }> {
    const form = new FormData();
    form.append(
      'file',
      new Blob([new Uint8Array(typeof bytes === 'string' ? Buffer.from(bytes) : bytes)], { type }),
      name,
    );
    const res = await fetch(`${server.baseUrl}/api/conversations/${conversationId}/attachments`, {
      method: 'POST',
      headers: { cookie: agent.cookie, 'x-csrf-token': agent.csrfToken },
      body: form,
    });
    assert.equal(res.status, 201, `the agent uploads ${name}: ${await res.clone().text()}`);
    return (await res.json()) as { id: string };
  }

  /** The sandbox phone's URL of a file the business sent (waits for the outbox to deliver it). */
  async function phoneUrl(filename: string): Promise<string> {
    for (let i = 0; i < 200; i++) {
      const h = await admin.get(`/sandbox/api/messages?phone=${PHONE}`);
      const item = (h.body?.items ?? []).find((m: any) => m.media?.filename === filename);
      if (item) return item.media.url as string;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`${filename} never reached the sandbox phone`);
  }

  before(async () => {
    assertConsoleBuilt();
    server = await startTestServer();
    admin = new Session(server.baseUrl);
    assert.equal((await admin.login(server.admin.email, server.admin.password)).status, 200);
    const channels = await admin.get('/api/channels');
    const sandbox = channels.body.items.find((c: any) => c.kind === 'sandbox');
    assert.ok(sandbox, 'the test server has a sandbox channel');
    assert.equal((await admin.post('/api/users', { ...AGENT, role: 'agent', channelIds: [sandbox.id] })).status, 201);
    agent = new Session(server.baseUrl);
    assert.equal((await agent.login(AGENT.email, AGENT.password)).status, 200);

    // A customer writes on the sandbox phone (driven with the admin's session); the agent answers with files.
    const sent = await admin.post('/sandbox/api/messages', { phone: PHONE, name: 'Carla', text: 'Hello?' });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    for (let i = 0; i < 200 && !conversationId; i++) {
      conversationId = (await agent.get('/api/conversations')).body.items?.[0]?.id;
      if (!conversationId) await new Promise((r) => setTimeout(r, 25));
    }
    assert.ok(conversationId, 'the conversation is in the inbox');

    const js = await upload(ATTACK, 'text/javascript', 'payload.js');
    const jsPhone = await phoneUrl('payload.js');
    const html =
      `<!doctype html><html><head><title>Invoice</title></head><body><h1>Invoice</h1>` +
      `<script src="/api/media/${js.id}"></script><script src="${jsPhone}"></script>` +
      `<script>${ATTACK}</script><img src="x" onerror="document.title='PWNED'"></body></html>`;
    const svg =
      `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" ` +
      `onload="document.title='PWNED'"><script>${ATTACK.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</script></svg>`;
    urls.consoleHtml = `/api/media/${(await upload(html, 'text/html', 'invoice.html')).id}`;
    urls.consoleHtmlAsPng = `/api/media/${(await upload(html, 'image/png', 'photo.png')).id}`;
    urls.consoleSvg = `/api/media/${(await upload(svg, 'image/svg+xml', 'logo.svg')).id}`;
    urls.consoleJs = `/api/media/${js.id}`;
    urls.consolePng = `/api/media/${(await upload(PNG, 'image/png', 'chart.png')).id}`;
    urls.phoneHtml = await phoneUrl('invoice.html');
    urls.phoneHtmlAsPng = await phoneUrl('photo.png');
    urls.phoneSvg = await phoneUrl('logo.svg');
    urls.phoneJs = jsPhone;

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    context.on('request', (r) => requests.push(`${r.method()} ${new URL(r.url()).pathname}`));
    // The admin signs in to the console in this browser.
    await page.goto(`${server.baseUrl}/#/inbox`);
    await page.getByLabel('Email').fill(server.admin.email);
    await page.getByLabel('Password').fill(server.admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const [key, filename] of [
    ['consoleHtml', 'invoice.html'],
    ['consoleHtmlAsPng', 'photo.png'],
    ['consoleSvg', 'logo.svg'],
    ['consoleJs', 'payload.js'],
    ['phoneHtml', 'invoice.html'],
    ['phoneHtmlAsPng', 'photo.png'],
    ['phoneSvg', 'logo.svg'],
    ['phoneJs', 'payload.js'],
  ]) {
    it(`${key}: opening it downloads ${filename}; no script runs`, async () => {
      const tab = await context.newPage();
      const seen: string[] = [];
      tab.on('request', (r) => seen.push(`${r.method()} ${new URL(r.url()).pathname}`));
      const download = tab.waitForEvent('download', { timeout: 5_000 });
      // A download aborts the navigation: goto rejects, the tab stays blank.
      await tab.goto(server.baseUrl + urls[key]).catch(() => {});
      assert.equal((await download).suggestedFilename(), filename, 'served as an attachment');
      await tab.waitForTimeout(400);
      assert.deepEqual(seen, [`GET ${urls[key]}`], 'the file itself is the only request: no script fetched anything');
      assert.notEqual(await tab.title(), 'PWNED');
      assert.equal(await tab.evaluate(() => (window as any).__pwned ?? null), null);
      assert.equal(await page.evaluate(() => (window as any).__pwned ?? null), null);
      await tab.close();
    });
  }

  it('in a frame of the console page too: the frame gets nothing to run', async () => {
    const fromFrames: string[] = [];
    page.on('request', (r) => {
      if (r.frame() !== page.mainFrame()) fromFrames.push(`${r.method()} ${new URL(r.url()).pathname}`);
    });
    await page.evaluate(
      (srcs) => {
        for (const src of srcs) {
          const f = document.createElement('iframe');
          f.src = src;
          document.body.append(f);
        }
      },
      [urls.consoleHtml, urls.consoleSvg, urls.phoneHtml, urls.phoneSvg],
    );
    await page.waitForTimeout(800);
    const allowed = new Set([urls.consoleHtml, urls.consoleSvg, urls.phoneHtml, urls.phoneSvg].map((u) => `GET ${u}`));
    assert.deepEqual(
      fromFrames.filter((r) => !allowed.has(r)),
      [],
      'the frames fetched nothing but the files themselves',
    );
    assert.equal(await page.evaluate(() => (window as any).__pwned ?? null), null);
  });

  it('nobody was created and no page title was changed', async () => {
    const users = await admin.get('/api/users');
    assert.equal(users.status, 200);
    assert.ok(!users.body.items.some((u: any) => u.email === INTRUDER), 'the intruder admin does not exist');
    assert.notEqual(await page.title(), 'PWNED');
    assert.ok(!requests.some((r) => r === 'POST /api/users'), 'no script ever posted to /api/users');
  });

  it('a real PNG still opens inline as an image', async () => {
    const tab = await context.newPage();
    const res = await tab.goto(server.baseUrl + urls.consolePng);
    assert.equal(res?.status(), 200);
    assert.equal(res?.headers()['content-type'], 'image/png');
    const width = await tab.evaluate(() => document.images[0]?.naturalWidth ?? 0);
    assert.equal(width, 2, 'the image is shown');
    await tab.close();
  });
});
