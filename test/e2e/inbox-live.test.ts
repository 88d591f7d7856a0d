// Browser test of the live inbox against the real server (built console from dist/client, the sandbox phone at
// /sandbox): a customer writes from a demo ad → the admin sees the conversation appear without reload, opens it,
// sees the ad card, replies → the reply reaches the sandbox phone, which marks it read → the read tick appears.
// A channel member agent sees the conversation live; an agent outside the channel never does. Also checks
// Admin → Channels. Must never mock the server or write to the database directly.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { Session } from '../helpers/http.js';
import { assertConsoleBuilt, launchChromium } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { signInBrowser } from '../helpers/sandbox.js';

const INBOX_SCREENSHOT = '/tmp/parley-inbox.png';
const CHANNELS_SCREENSHOT = '/tmp/parley-channels.png';
const MEMBER = { name: 'Mia Member', email: 'mia.member@parley.test', password: 'member-password-42' };
const OUTSIDER = { name: 'Olaf Outsider', email: 'olaf.outsider@parley.test', password: 'outsider-password-42' };
const CUSTOMER = { name: 'Lucía Test', phone: '34600111222' };
const FIRST_MESSAGE = 'Hi! Is the waterproof jacket available in size M?';
const REPLY = 'Hello Lucía, yes: size M is in stock in blue and black.';
const CANNED_TEXT = 'Our sizes run true to fit: S 36-38, M 40-42, L 44-46.';
const NOTE = 'Customer asked about size M; check stock in the Madrid store.';
const SECRET = 'EAAG-test-secret-value-1234567890';
// A 2×2 PNG (opaque teal), small enough to inline.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGOQz48BIgYIBQAYsgOp+nRl6gAAAABJRU5ErkJggg==',
  'base64',
);

interface SandboxPhonePage {
  /** Headline of the ad the customer tapped (set by sendFromAd). */
  adHeadline: string;
  sendFromAd(m: { name: string; phone: string; text: string }): Promise<void>;
  /** Waits until the business reply is shown on the phone (which marks it read). */
  waitForReply(text: string): Promise<void>;
}

/** Drives the simulated customer phone page (/sandbox) as its header comment describes. */
async function openSandboxPhone(page: Page, baseUrl: string): Promise<SandboxPhonePage> {
  await page.goto(`${baseUrl}/sandbox`);
  const ads = page.getByRole('group', { name: 'Tap an ad' }).getByTestId('sandbox-ad');
  await ads.first().waitFor();
  const driver: SandboxPhonePage = {
    adHeadline: '',
    async sendFromAd(m) {
      await page.getByLabel('Your name').fill(m.name);
      await page.getByLabel('Phone number').fill(m.phone);
      const ad = ads.first();
      driver.adHeadline = (await ad.innerText()).split('\n')[0].trim();
      await ad.click();
      assert.equal(await ad.getAttribute('aria-pressed'), 'true', 'the ad is tapped');
      await page.getByLabel('Message').fill(m.text);
      await page.getByRole('button', { name: 'Send' }).click();
      await page.getByTestId('sandbox-sent').filter({ hasText: m.text }).waitFor();
      assert.equal(await page.getByRole('alert').count(), 0, 'the phone shows no error');
    },
    async waitForReply(text) {
      await page.getByTestId('sandbox-reply').filter({ hasText: text }).waitFor();
    },
  };
  return driver;
}

/** Clears the toast stack so a screenshot shows the page itself. */
async function dismissToasts(page: Page): Promise<void> {
  const close = page.locator('.toasts').getByRole('button', { name: 'Dismiss' });
  // A toast may time out on its own while we click: that is fine too.
  while ((await close.count()) > 0)
    await close
      .first()
      .click({ timeout: 1000 })
      .catch(() => {});
}

interface Tab {
  context: BrowserContext;
  page: Page;
}

async function newTab(browser: Browser, width = 1440, height = 900): Promise<Tab> {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('console', (msg) => {
    // Warnings include the API client's "Unexpected response" (a contract mismatch); 401s are session probes.
    if (msg.type() !== 'warning' && msg.type() !== 'error') return;
    if (!msg.text().includes('status of 401')) console.log(`[browser ${msg.type()}] ${msg.text()}`);
  });
  return { context, page };
}

async function signInToInbox(tab: Tab, baseUrl: string, email: string, password: string): Promise<void> {
  const { page } = tab;
  await page.goto(`${baseUrl}/#/inbox`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
  await page.locator('[data-testid="live-indicator"][data-state="connected"]').waitFor();
  // The first page of the list has loaded (empty: nobody has written yet).
  await page.getByTestId('conversation-list-empty').waitFor();
}

describe('live inbox in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  let admin: Tab;
  let member: Tab;
  let outsider: Tab;
  let customer: Tab;
  let phone: SandboxPhonePage;
  let sandboxChannel: { id: string; name: string };

  before(async () => {
    assertConsoleBuilt();
    server = await startTestServer();
    browser = await launchChromium();

    // Two agents over the API: one member of the sandbox channel, one member of nothing.
    const api = new Session(server.baseUrl);
    assert.equal((await api.login(server.admin.email, server.admin.password)).status, 200);
    const channels = await api.get<{ items: Array<{ id: string; kind: string; name: string }> }>('/api/channels');
    assert.equal(channels.status, 200, 'GET /api/channels answers the admin');
    const sandbox = channels.body.items.find((c) => c.kind === 'sandbox');
    assert.ok(sandbox, 'the test server has a sandbox channel');
    sandboxChannel = sandbox;
    for (const [who, channelIds] of [
      [MEMBER, [sandbox.id]],
      [OUTSIDER, []],
    ] as const) {
      const res = await api.post('/api/users', { ...who, role: 'agent', channelIds });
      assert.equal(res.status, 201, `creates ${who.email}: ${JSON.stringify(res.body)}`);
    }
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs in an admin and two agents; nobody has conversations yet', async () => {
    admin = await newTab(browser);
    member = await newTab(browser, 1280, 800);
    outsider = await newTab(browser, 1280, 800);
    await signInToInbox(admin, server.baseUrl, server.admin.email, server.admin.password);
    await signInToInbox(member, server.baseUrl, MEMBER.email, MEMBER.password);
    await signInToInbox(outsider, server.baseUrl, OUTSIDER.email, OUTSIDER.password);
    assert.match(await admin.page.getByTestId('conversation-list-empty').innerText(), /sandbox/i);
  });

  it('shows a customer’s first message from an ad live in the list, without reload', async () => {
    customer = await newTab(browser, 420, 860);
    // The sandbox phone needs a console session allowed to use it (the tester's admin login).
    await signInBrowser(customer.context, server);
    phone = await openSandboxPhone(customer.page, server.baseUrl);
    await phone.sendFromAd({ ...CUSTOMER, text: FIRST_MESSAGE });

    const row = admin.page.getByTestId('conversation-row');
    await row.first().waitFor();
    assert.equal(await row.count(), 1);
    const rowText = await row.first().innerText();
    assert.match(rowText, /Ad/, 'the row carries the Ad chip');
    assert.match(rowText, new RegExp(sandboxChannel.name), 'the row names the channel');
    assert.ok(await row.first().getByTestId('unread-badge').isVisible(), 'the row shows an unread badge');
    assert.doesNotMatch(rowText, new RegExp(CUSTOMER.phone), 'never the real number');

    // The member agent gets it live too; the outsider never does.
    await member.page.getByTestId('conversation-row').first().waitFor();
    await admin.page.waitForTimeout(750);
    assert.equal(await outsider.page.getByTestId('conversation-row').count(), 0, 'an outsider does not see it');
    await outsider.page.getByTestId('conversation-list-empty').waitFor();
  });

  it('opens the conversation with the ad card, replies, and shows the read tick once the phone read it', async () => {
    const { page } = admin;
    await page.getByTestId('conversation-row').first().click();
    const thread = page.getByTestId('thread');
    await thread.waitFor();
    await thread.getByTestId('message').filter({ hasText: FIRST_MESSAGE }).waitFor();

    const card = page.getByTestId('ad-card');
    await card.waitFor();
    const cardText = await card.innerText();
    assert.match(cardText, new RegExp(phone.adHeadline.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    const link = card.getByRole('link');
    assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
    await page.getByTestId('conversation-row').first().getByTestId('unread-badge').waitFor({ state: 'detached' });
    assert.doesNotMatch(await page.getByTestId('contact-panel').innerText(), new RegExp(CUSTOMER.phone));

    const composer = page.getByRole('textbox', { name: 'Reply' });
    await composer.fill(REPLY);
    await composer.press('Enter');
    const sent = thread.getByTestId('message').filter({ hasText: REPLY });
    await sent.waitFor();
    assert.equal(await thread.getByTestId('message').filter({ hasText: REPLY }).count(), 1, 'no duplicate bubble');
    // The bubble can arrive over the socket before the POST answers; the composer clears once the server accepted.
    for (let i = 0; i < 100 && (await composer.inputValue()) !== ''; i++) await page.waitForTimeout(50);
    assert.equal(await composer.inputValue(), '', 'the composer is cleared after sending');

    await phone.waitForReply(REPLY);
    await sent.locator('[data-testid="message-status"][data-status="read"]').waitFor({ timeout: 15_000 });
  });

  it('shows the admin typing and the reply live to a member agent who has the thread open', async () => {
    await member.page.getByTestId('conversation-row').first().click();
    const thread = member.page.getByTestId('thread');
    await thread.getByTestId('message').filter({ hasText: REPLY }).waitFor();

    // The composer signals typing at most every 2 s, and the reply above was typed just now.
    await admin.page.waitForTimeout(2100);
    await admin.page.getByRole('textbox', { name: 'Reply' }).pressSequentially('One more thing', { delay: 20 });
    await member.page.getByTestId('typing-indicator').filter({ hasText: 'Administrator is typing…' }).waitFor();
    await admin.page.getByRole('textbox', { name: 'Reply' }).fill('');
  });

  it('adds a canned reply in Admin and inserts it with /shortcut; notes stay private', async () => {
    const { page } = admin;
    await page.goto(`${server.baseUrl}/#/admin/canned-replies`);
    await page.getByLabel('Shortcut').fill('sizes');
    await page.getByLabel('Title').fill('Size guide');
    await page.getByLabel('Text').fill(CANNED_TEXT);
    await page.getByRole('button', { name: 'Add canned reply' }).click();
    await page.getByTestId('canned-table').getByText('/sizes').waitFor();

    await page.goto(`${server.baseUrl}/#/inbox`);
    await page.getByTestId('conversation-row').first().click();
    const composer = page.getByRole('textbox', { name: 'Reply' });
    await composer.fill('/siz');
    await page.getByTestId('canned-picker').getByText('Size guide').waitFor();
    await composer.press('Enter');
    assert.equal(await composer.inputValue(), CANNED_TEXT, 'Enter inserts the canned text instead of sending');
    await composer.press('Enter');
    const thread = page.getByTestId('thread');
    await thread.getByTestId('message').filter({ hasText: CANNED_TEXT }).waitFor();
    await phone.waitForReply(CANNED_TEXT);

    await page.getByRole('tab', { name: 'Note' }).click();
    const note = page.getByRole('textbox', { name: 'Private note' });
    await note.fill(NOTE);
    await page.getByRole('button', { name: 'Add note' }).click();
    const bubble = thread.getByTestId('message').filter({ hasText: NOTE });
    await bubble.waitFor();
    assert.match(await bubble.innerText(), /Note · only your team sees this/);
    await page.getByRole('tab', { name: 'Reply' }).click();
    await customer.page.waitForTimeout(500);
    assert.equal(await customer.page.getByText(NOTE).count(), 0, 'the customer never sees a private note');
  });

  it('claims the conversation: it moves to Mine', async () => {
    const { page } = admin;
    await page.getByRole('button', { name: 'Claim' }).click();
    await page.getByTestId('thread-assignee').filter({ hasText: 'Assigned to you' }).waitFor();
    await page.getByRole('tab', { name: 'Mine' }).click();
    await page.getByTestId('conversation-row').first().waitFor();
    await page.getByRole('tab', { name: 'Unassigned' }).click();
    await page.getByTestId('conversation-list-empty').waitFor();
    await page.getByRole('tab', { name: 'All' }).click();
    await page.getByTestId('conversation-row').first().waitFor();

    const search = page.getByRole('searchbox', { name: 'Search conversations' });
    await search.fill('nobody-by-this-name');
    await page.getByTestId('conversation-list-empty').filter({ hasText: 'matching “nobody-by-this-name”' }).waitFor();
    await search.fill(CUSTOMER.name.split(' ')[0]);
    await page.getByTestId('conversation-row').first().waitFor();
    await search.fill('');
    await page.getByTestId('conversation-row').first().waitFor();
    await dismissToasts(page);
    await page.screenshot({ path: INBOX_SCREENSHOT });
  });

  it('sends an image attachment, shown inline from the server’s media URL', async () => {
    const { page } = admin;
    await page.getByLabel('Attachment').setInputFiles({ name: 'size-chart.png', mimeType: 'image/png', buffer: PNG });
    await page.getByTestId('attachment-chip').filter({ hasText: 'size-chart.png' }).waitFor();
    await page.getByRole('textbox', { name: 'Reply' }).fill('Here is the size chart');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const bubble = page
      .getByTestId('thread')
      .getByTestId('message')
      .filter({ has: page.locator('img') });
    await bubble.waitFor();
    const img = bubble.locator('img');
    assert.match((await img.getAttribute('src')) ?? '', /^\/api\/media\//);
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('.bubble-media img')].some((i) => i.naturalWidth > 0),
    );
    await page.getByTestId('attachment-chip').waitFor({ state: 'detached' });
  });

  it('transfers the conversation to the member agent', async () => {
    const { page } = admin;
    await page.getByRole('button', { name: 'Transfer…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(MEMBER.name).click();
    await dialog.getByRole('button', { name: 'Assign' }).click();
    await page
      .getByTestId('thread-assignee')
      .filter({ hasText: `Assigned to ${MEMBER.name}` })
      .waitFor();
    await member.page.getByRole('tab', { name: 'Mine' }).click();
    await member.page.getByTestId('conversation-row').first().waitFor();
    await member.page.getByTestId('thread-assignee').filter({ hasText: 'Assigned to you' }).waitFor();

    // An agent's picker comes from GET …/assignees: teammates who may work on this channel.
    await member.page.getByRole('button', { name: 'Transfer…' }).click();
    const picker = member.page.getByRole('dialog');
    await picker.getByText('Administrator').waitFor();
    assert.equal(await picker.getByText(OUTSIDER.name).count(), 0, 'a non-member is not offered');
    await picker.getByRole('button', { name: 'Cancel' }).click();
    await picker.waitFor({ state: 'detached' });
  });

  it('adds and deletes a channel in Admin → Channels; secrets are write-only', async () => {
    const { page } = admin;
    await page.goto(`${server.baseUrl}/#/admin/channels`);
    const table = page.getByTestId('channels-table');
    await table.waitFor();
    assert.match(await table.locator(`tr[data-channel-id="${sandboxChannel.id}"]`).innerText(), /Sandbox[\s\S]*Ready/);

    await page.getByLabel('Kind').selectOption('whatsapp-cloud');
    await page.getByLabel('Name', { exact: true }).fill('Store WhatsApp');
    await page.getByLabel('Phone number ID').fill('not-a-number');
    await page.getByRole('button', { name: 'Add channel' }).click();
    await page.getByText('Access token is required').waitFor();
    assert.equal(await page.getByLabel('Access token').getAttribute('type'), 'password');

    await page.getByLabel('Phone number ID').fill('106540352242922');
    await page.getByLabel('Display number (optional)').fill('+34 600 000 000');
    await page.getByLabel('Access token').fill(SECRET);
    await page.getByLabel('App secret').fill(`${SECRET}-app`);
    await page.getByLabel('Webhook verify token').fill(`${SECRET}-verify`);
    await page.getByRole('button', { name: 'Add channel' }).click();
    const row = table.locator('tr[data-channel-name="Store WhatsApp"]');
    await row.waitFor();
    assert.match(await row.innerText(), /WhatsApp Cloud API[\s\S]*\+34 600 000 000/);
    assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), '', 'the form is reset');
    assert.ok(!(await page.content()).includes(SECRET), 'no secret stays on the page');
    await page.evaluate(() => window.scrollTo(0, 0));
    await dismissToasts(page);
    await page.screenshot({ path: CHANNELS_SCREENSHOT, fullPage: true });

    await row.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete channel' }).click();
    await row.waitFor({ state: 'detached' });
  });

  it('adds the outsider to the channel from Admin → Users; then they see the conversation', async () => {
    const { page } = admin;
    await page.goto(`${server.baseUrl}/#/admin/users`);
    const row = page.getByTestId('users-table').locator(`tr[data-user-email="${OUTSIDER.email}"]`);
    await row.waitFor();
    assert.match(await row.innerText(), /None/);
    const memberRow = page.getByTestId('users-table').locator(`tr[data-user-email="${MEMBER.email}"]`);
    assert.match(await memberRow.innerText(), new RegExp(sandboxChannel.name));

    await row.getByRole('button', { name: `Edit channels of ${OUTSIDER.name}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(sandboxChannel.name).check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await row.getByText(sandboxChannel.name).waitFor();

    await outsider.page.reload();
    await outsider.page.getByTestId('conversation-row').first().waitFor();
    for (const tab of [admin, member, outsider, customer]) await tab.context.close();
  });
});
