// Browser test of the sandbox phone page (/sandbox) against the real server: the simulator label, choosing an
// identity, tapping a demo ad, sending (the conversation appears in the inbox with the ad's attribution), a
// business reply arriving live and being marked read, inert rendering of markup, and the identity remembered per
// tab; and who may open it: signed out, the page says a console login is needed; a session that ends while the
// phone is open turns it into that notice. Must never mock the server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { assertConsoleBuilt, launchChromium } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { settle } from '../helpers/webhooks.js';
import { signInBrowser } from '../helpers/sandbox.js';
import { ChannelModel } from '../../server/src/models/channel.js';
import { ConversationModel } from '../../server/src/models/conversation.js';
import { MessageModel } from '../../server/src/models/message.js';

const SCREENSHOT = '/tmp/parley-sandbox.png';

describe('sandbox phone in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  before(async () => {
    assertConsoleBuilt('sandbox.html');
    server = await startTestServer();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1100, height: 860 } });
    await signInBrowser(context, server);
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a customer taps a demo ad and writes; the reply arrives live, is marked read; text stays inert', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.baseUrl}/sandbox`);
    await page.getByText('Simulator — not a real WhatsApp').waitFor();
    await page.getByLabel('Your name').fill('Bea <img src=x onerror=alert(1)>');
    await page.getByLabel('Phone number').fill('+1 555 0199 0001');
    const ads = page.getByRole('group', { name: 'Tap an ad' });
    const ad = ads.getByTestId('sandbox-ad').first();
    await ad.click();
    assert.equal(await ad.getAttribute('aria-pressed'), 'true');
    const adId = await ad.getAttribute('data-ad-id');
    await page.locator('[data-testid="sandbox-live"][data-live="true"]').waitFor();
    await page.getByLabel('Message').fill('Hi! <script>alert(1)</script> Is it waterproof?');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByTestId('sandbox-sent').filter({ hasText: 'Is it waterproof?' }).waitFor();
    assert.equal(await ad.getAttribute('aria-pressed'), 'false', 'the tap is used by one message');
    assert.equal(
      await page
        .getByTestId('sandbox-sent')
        .first()
        .innerText()
        .then((t) => t.includes('<script>alert(1)</script>')),
      true,
      'shown as text',
    );

    await settle(server);
    const msg = await MessageModel.findOne({ text: 'Hi! <script>alert(1)</script> Is it waterproof?' }).lean();
    assert.ok(msg, 'the message reached the inbox');
    const conv = await ConversationModel.findById(msg.conversationId).lean();
    assert.equal((conv!.attribution as { adId: string }).adId, adId);

    // The business answers through the sandbox adapter (what the outbox does after the guard).
    const channel = await ChannelModel.findOne({ kind: 'sandbox' }).lean();
    const adapter = await server.server.inbox.adapterFor(String(channel!._id));
    const sent = await adapter.send({
      to: { kind: 'wa_id', value: '155501990001' },
      kind: 'text',
      text: 'Yes, fully <b>waterproof</b>.',
    });
    assert.ok(sent.ok);
    const out = await MessageModel.create({
      conversationId: conv!._id,
      channelId: channel!._id,
      contactId: conv!.contactId,
      direction: 'out',
      kind: 'text',
      text: 'Yes, fully <b>waterproof</b>.',
      status: 'sent',
      providerMessageId: sent.providerMessageId,
    });
    const reply = page.getByTestId('sandbox-reply').filter({ hasText: 'Yes, fully <b>waterproof</b>.' });
    await reply.waitFor();
    // Displayed → delivered + read webhooks → the outbound message is read.
    const deadline = Date.now() + 5_000;
    while ((await MessageModel.findById(out._id).lean())!.status !== 'read' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    assert.equal((await MessageModel.findById(out._id).lean())!.status, 'read');
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // The identity is remembered in this tab.
    await page.reload();
    assert.equal(await page.getByLabel('Phone number').inputValue(), '+1 555 0199 0001');
    await page.getByTestId('sandbox-reply').first().waitFor();
    assert.equal(await page.locator('img[src="x"]').count(), 0);
    assert.deepEqual(errors, []);
  });

  it('signed out, /sandbox says the sandbox needs a console login; a session ending turns the phone into it', async () => {
    const stranger = await browser.newContext();
    const other = await stranger.newPage();
    const res = await other.goto(`${server.baseUrl}/sandbox`);
    assert.equal(res?.status(), 401);
    await other.getByRole('heading', { name: 'The sandbox needs a console login' }).waitFor();
    assert.equal(await other.getByLabel('Message').count(), 0, 'no phone without a session');
    await other.getByRole('link', { name: 'Sign in to the console' }).click();
    await other.getByLabel('Email').waitFor();
    await stranger.close();

    // The open phone (signed in) loses its session: the next send shows the notice instead of the phone.
    const me = await context.request.get(`${server.baseUrl}/api/auth/me`);
    const { csrfToken } = (await me.json()) as { csrfToken: string };
    const out = await context.request.post(`${server.baseUrl}/api/auth/logout`, {
      headers: { 'x-csrf-token': csrfToken },
    });
    assert.equal(out.status(), 204);
    await page.getByLabel('Message').fill('Still there?');
    await page.getByRole('button', { name: 'Send' }).click();
    const notice = page.getByTestId('sandbox-signin');
    await notice.waitFor();
    assert.match(await notice.innerText(), /The sandbox needs a console login/);
    assert.equal(await MessageModel.exists({ text: 'Still there?' }), null, 'nothing sent without a session');
  });
});
