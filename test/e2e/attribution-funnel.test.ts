// Browser test of ad → chat → sale: a marketer-capable admin creates a campaign and a tracked link in the console,
// the customer opens the link (wa.me is intercepted: no network), the sandbox phone sends the prefilled text with
// its ref code, the conversation shows the ad card with the campaign, the agent marks it converted with a value,
// and the dashboard's funnel shows 1 click, 1 chat, 1 conversion with that value. Must never write to the database
// directly or mock the server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { assertConsoleBuilt, launchChromium } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { signInBrowser } from '../helpers/sandbox.js';

const SCREENSHOT = '/tmp/parley-dashboard.png';
const CAMPAIGN = 'Summer sale 2026';
const LINK = 'Summer story link';

async function newPage(browser: Browser, width = 1440, height = 900): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('console', (msg) => {
    if ((msg.type() === 'warning' || msg.type() === 'error') && !msg.text().includes('status of 401'))
      console.log(`[browser ${msg.type()}] ${msg.text()}`);
  });
  return page;
}

describe('ad → chat → sale in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  let admin: Page;
  let customer: Page;
  let linkUrl = '';
  let prefilled = '';

  before(async () => {
    assertConsoleBuilt();
    server = await startTestServer();
    browser = await launchChromium();
    admin = await newPage(browser);
    await admin.goto(`${server.baseUrl}/#/dashboard/campaigns`);
    await admin.getByLabel('Email').fill(server.admin.email);
    await admin.getByLabel('Password').fill(server.admin.password);
    await admin.getByRole('button', { name: 'Sign in' }).click();
    await admin.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('creates a campaign and a tracked link with a copyable URL, QR code and click count', async () => {
    await admin.goto(`${server.baseUrl}/#/dashboard/campaigns`);
    await admin.getByLabel('Campaign name').fill(CAMPAIGN);
    await admin.getByRole('button', { name: 'Create campaign' }).click();
    await admin.getByTestId('campaign').filter({ hasText: CAMPAIGN }).waitFor();

    await admin.goto(`${server.baseUrl}/#/dashboard/links`);
    const form = admin.getByRole('form', { name: 'New tracked link' });
    await form.getByLabel('Link name').fill(LINK);
    await form.getByLabel('Channel').selectOption({ index: 0 });
    await form.getByLabel('Counts for').selectOption({ label: `${CAMPAIGN} (whole campaign)` });
    await form.getByLabel('Prefilled message').fill('Hi! I saw the summer sale');
    await form.getByRole('button', { name: 'Create link' }).click();
    const row = admin.getByTestId('link-row').filter({ hasText: LINK });
    await row.waitFor();
    linkUrl = (await row.getByTestId('link-url').innerText()).trim();
    assert.match(linkUrl, /\/c\/[\w-]+$/);
    assert.equal((await row.getByTestId('link-clicks').innerText()).trim(), '0');
    await row.getByRole('img', { name: `QR code for ${LINK}` }).waitFor();
  });

  it('the customer opens the link and is sent to wa.me with the prefilled text and a ref code', async () => {
    customer = await newPage(browser, 420, 860);
    // No network here: the browser's request to the link goes to the server; its redirect to wa.me is read, not followed.
    let location = '';
    await customer.route(linkUrl, async (route) => {
      const res = await route.fetch({ maxRedirects: 0 });
      location = res.headers()['location'] ?? '';
      await route.fulfill({ status: 200, contentType: 'text/html', body: `<p>Redirected (${res.status()})</p>` });
    });
    await customer.goto(linkUrl);
    assert.match(await customer.locator('p').innerText(), /Redirected \(302\)/);
    const target = new URL(location);
    assert.equal(target.host, 'wa.me');
    prefilled = target.searchParams.get('text') ?? '';
    assert.match(prefilled, /^Hi! I saw the summer sale \[ref:[2-9A-Z]{8}\]$/);
  });

  it('the sandbox customer sends the prefilled text; the conversation shows the ad card with the campaign', async () => {
    // The sandbox phone needs a console session allowed to use it (the tester's admin login).
    await signInBrowser(customer.context(), server);
    await customer.goto(`${server.baseUrl}/sandbox`);
    await customer.getByLabel('Your name').fill('Marta Test');
    await customer.getByLabel('Phone number').fill('34600123123');
    await customer.getByLabel('Message').fill(prefilled);
    await customer.getByRole('button', { name: 'Send' }).click();
    await customer.getByTestId('sandbox-sent').filter({ hasText: 'summer sale' }).waitFor();

    await admin.goto(`${server.baseUrl}/#/inbox`);
    await admin.getByTestId('conversation-row').first().click();
    const card = admin.getByTestId('ad-card');
    await card.waitFor();
    assert.match(await card.innerText(), /Tracked link/i);
    assert.match(await card.innerText(), new RegExp(LINK));
    await admin.getByTestId('ad-campaign').filter({ hasText: CAMPAIGN }).waitFor();
    assert.match(await admin.getByTestId('ad-campaign').innerText(), /clicked/);
  });

  it('the agent marks it converted with a value', async () => {
    const panel = admin.getByTestId('contact-panel');
    await panel.getByRole('button', { name: 'Converted…' }).click();
    const conv = panel.getByRole('form', { name: 'Conversion' });
    await conv.getByLabel('Value').fill('49.90');
    await conv.getByLabel('Currency').fill('EUR');
    await conv.getByRole('button', { name: 'Save sale' }).click();
    await panel.locator('.chip-lead-converted').waitFor();
    assert.match(await panel.getByTestId('lead-value').innerText(), /49[.,]90/);
  });

  it('the dashboard funnel shows 1 click, 1 chat, 1 conversion with that value', async () => {
    await admin.goto(`${server.baseUrl}/#/dashboard`);
    const totals = admin.getByTestId('funnel-totals');
    await totals.waitFor();
    assert.equal((await admin.getByTestId('kpi-clicks').innerText()).trim(), '1');
    assert.equal((await admin.getByTestId('kpi-chats').innerText()).trim(), '1');
    assert.equal((await admin.getByTestId('kpi-converted').innerText()).trim(), '1');
    assert.match(await admin.getByTestId('kpi-value').innerText(), /^49[.,]90$/);
    const row = admin.getByTestId('funnel-table').getByRole('row').filter({ hasText: CAMPAIGN });
    const cells = (await row.getByRole('cell').allInnerTexts()).map((s) => s.trim());
    assert.deepEqual([cells[0], cells[1], cells[2], cells[6], cells[7]], [CAMPAIGN, '1', '1', '1', '49.90']);
    await admin.getByTestId('funnel-chart').waitFor();
    await admin.getByTestId('per-day-chart').waitFor();
    await admin.screenshot({ path: SCREENSHOT, fullPage: true });
    // The link's click count in the console.
    await admin.goto(`${server.baseUrl}/#/dashboard/links`);
    const link = admin.getByTestId('link-row').filter({ hasText: LINK });
    await link.waitFor();
    assert.equal((await link.getByTestId('link-clicks').innerText()).trim(), '1');
    // Admins also see the Conversions API outbox (off here: no dataset configured).
    await admin.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Conversions API' }).click();
    await admin.getByText('Conversion reporting is off').waitFor();
  });
});
