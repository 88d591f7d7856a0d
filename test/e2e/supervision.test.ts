// Browser test of supervision and privacy: a supervisor sees an unapproved integration's held message in the
// review queue and approves it, searches the audit trail, and reveals a customer's number with a reason from the
// contact panel (the reveal then shows on the audit screen); an admin verifies the chain and sees the integration
// under Admin → Integrations. Must never write to the database directly.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Browser, type Page } from 'playwright-core';
import { Session } from '../helpers/http.js';
import { assertConsoleBuilt, launchChromium } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const SUPERVISOR = { name: 'Sara Supervisor', email: 'sara.sup@parley.test', password: 'super-password-42' };
const CUSTOMER = { name: 'Carla Cliente', phone: '34600999111' };
const HELD = 'Your parcel leaves the warehouse today';

async function signIn(page: Page, baseUrl: string, email: string, password: string, hash = '/supervision') {
  await page.goto(`${baseUrl}/#${hash}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('supervision, review queue, audit and reveal in the browser', () => {
  let server: TestServer;
  let browser: Browser;
  let conversationId = '';

  before(async () => {
    assertConsoleBuilt();
    server = await startTestServer();
    browser = await launchChromium();
    const api = new Session(server.baseUrl);
    assert.equal((await api.login(server.admin.email, server.admin.password)).status, 200);
    assert.equal((await api.post('/api/users', { ...SUPERVISOR, role: 'supervisor', channelIds: [] })).status, 201);
    // The sandbox phone runs in the admin's console session (cookie + CSRF token).
    const r = await api.post('/sandbox/api/messages', { ...CUSTOMER, text: 'Where is my parcel?' });
    assert.ok(r.status < 300, `sandbox customer message: ${r.status}`);
    for (let i = 0; i < 100 && !conversationId; i++) {
      const list = await api.get('/api/conversations');
      conversationId = list.body.items[0]?.id ?? '';
      if (!conversationId) await new Promise((res) => setTimeout(res, 50));
    }
    assert.ok(conversationId);
    const integ = await api.post('/api/integrations', { name: 'Carrier tracking' });
    assert.equal(integ.status, 201);
    const held = await fetch(`${server.baseUrl}/api/v1/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${integ.body.token}` },
      body: JSON.stringify({ conversationId, text: HELD }),
    });
    assert.equal(held.status, 202);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a supervisor approves the held message, reveals the number with a reason and finds it on the audit trail', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signIn(page, server.baseUrl, SUPERVISOR.email, SUPERVISOR.password);
    await page.getByRole('heading', { name: 'Supervision', level: 1 }).waitFor();

    const item = page.getByTestId('review-item').filter({ hasText: HELD });
    await item.waitFor().catch(async (err) => {
      await page.screenshot({ path: '/tmp/parley-supervision-fail.png', fullPage: true });
      throw err;
    });
    assert.match(await item.innerText(), /integration Carrier tracking/);
    assert.match(await item.innerText(), /not approved/);
    await page.screenshot({ path: '/tmp/parley-supervision.png', fullPage: true });
    await item.getByRole('button', { name: 'Approve and send' }).click();
    await item.waitFor({ state: 'detached' });

    // Reveal from the contact panel.
    await page.goto(`${server.baseUrl}/#/inbox/${conversationId}`);
    const panel = page.getByTestId('contact-panel');
    await panel.waitFor();
    assert.ok(!(await panel.innerText()).includes(CUSTOMER.phone), 'masked before the reveal');
    await panel.getByRole('button', { name: 'Reveal number…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reveal the real number' });
    await dialog.getByLabel('Reason').fill('Customer asked for a phone call about the parcel');
    await dialog.getByRole('button', { name: 'Reveal' }).click();
    await panel.getByTestId('revealed').filter({ hasText: CUSTOMER.phone }).waitFor();

    // The audit screen shows the reveal with its reason.
    await page.goto(`${server.baseUrl}/#/supervision`);
    const audit = page.getByTestId('audit-search');
    await audit.getByLabel('Action').selectOption('contact.revealed');
    await audit.getByRole('button', { name: 'Search' }).click();
    const row = audit.getByTestId('audit-table').getByRole('row').filter({ hasText: 'contact.revealed' });
    await row.first().waitFor();
    assert.match(await row.first().innerText(), /Customer asked for a phone call about the parcel/);
    assert.ok(!(await audit.innerText()).includes(CUSTOMER.phone), 'the trail never holds the number');
    assert.equal(await audit.getByRole('button', { name: 'Verify chain' }).count(), 0, 'only admins verify');
    await context.close();
  });

  it('an admin verifies the chain and approves the integration', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signIn(page, server.baseUrl, server.admin.email, server.admin.password);
    await page.getByRole('heading', { name: 'Supervision', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await page
      .getByTestId('verify-result')
      .filter({ hasText: /Chain intact: \d+ entries verified/ })
      .waitFor();
    await page.goto(`${server.baseUrl}/#/admin/integrations`);
    const row = page.getByTestId('integrations-table').getByRole('row').filter({ hasText: 'Carrier tracking' });
    // Approving one held message in review does not approve the integration itself.
    await row.filter({ hasText: 'Waiting for approval' }).waitFor();
    await row.getByRole('button', { name: 'Approve' }).click();
    await row.filter({ hasText: 'Approved' }).waitFor();
    await page.screenshot({ path: '/tmp/parley-integrations.png', fullPage: true });
    await context.close();
  });
});
