// Browser test of the outbound guard's content policy: a customer writes (sandbox phone API), the channel's
// agent opens the conversation in the console and tries to send "we'll refund you if you delete your review" →
// the composer shows it blocked with the reason, the thread shows the blocked message with its reason, nothing
// reaches the phone, and a supervisor finds the refusal on the audit trail (GET /api/audit; the supervision
// audit screen is another helper's). Also the contact panel's consent badges and agent-recorded consent. Must never
// write to the database directly.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Browser, type Page } from 'playwright-core';
import { Session } from '../helpers/http.js';
import { assertConsoleBuilt, launchChromium } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const AGENT = { name: 'Ana Agent', email: 'ana.agent@parley.test', password: 'agent-password-42' };
const SUPERVISOR = { name: 'Sam Super', email: 'sam.super@parley.test', password: 'super-password-42' };
const CUSTOMER = { name: 'Marta Cliente', phone: '34600555777' };
const BAD = "we'll refund you if you delete your review";

describe('content policy and consent in the browser', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  /** The admin's API session, which the sandbox phone's requests run in. */
  let phoneApi: Session;

  before(async () => {
    assertConsoleBuilt();
    server = await startTestServer();
    browser = await launchChromium();
    const api = new Session(server.baseUrl);
    phoneApi = api;
    assert.equal((await api.login(server.admin.email, server.admin.password)).status, 200);
    const channels = await api.get<{ items: Array<{ id: string; kind: string }> }>('/api/channels');
    const sandbox = channels.body.items.find((c) => c.kind === 'sandbox');
    assert.ok(sandbox);
    assert.equal((await api.post('/api/users', { ...AGENT, role: 'agent', channelIds: [sandbox.id] })).status, 201);
    assert.equal((await api.post('/api/users', { ...SUPERVISOR, role: 'supervisor', channelIds: [] })).status, 201);
    // The sandbox phone runs in the admin's console session (cookie + CSRF token).
    const r = await api.post('/sandbox/api/messages', {
      ...CUSTOMER,
      text: 'My order arrived broken and I left a 1-star review.',
    });
    assert.ok(r.status < 300, `sandbox customer message: ${r.status}`);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the agent sees the message blocked with the reason, and it never reaches the phone', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${server.baseUrl}/#/inbox`);
    await page.getByLabel('Email').fill(AGENT.email);
    await page.getByLabel('Password').fill(AGENT.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
    await page.getByTestId('conversation-row').first().click();
    const thread = page.getByTestId('thread');
    await thread.waitFor();

    const composer = page.getByRole('textbox', { name: 'Reply' });
    await composer.fill(BAD);
    await composer.press('Enter');

    // The composer says why.
    const alert = page.getByText('Blocked by the content policy');
    await alert.waitFor();
    await page
      .getByText(/in exchange for a review/)
      .first()
      .waitFor();
    // The thread shows the attempt as a blocked message with its reason.
    const bubble = thread.getByTestId('message').filter({ hasText: BAD });
    await bubble.waitFor();
    assert.match(await bubble.innerText(), /Blocked/);
    assert.match(await bubble.innerText(), /in exchange for a review/);
    await page.screenshot({ path: '/tmp/parley-content-blocked.png' });

    const phone = (await phoneApi.get(`/sandbox/api/messages?phone=${CUSTOMER.phone}`)).body;
    assert.ok(!JSON.stringify(phone).includes('delete your review'), 'nothing reached the customer');

    // The contact panel: consent badges, agent-recorded consent with a note, and the ledger history.
    const panel = page.getByTestId('consent-section');
    assert.equal(await panel.getByTestId('consent-Marketing').innerText(), 'Unknown');
    await panel.getByRole('button', { name: 'Record consent' }).click();
    await panel.getByLabel('Note').fill('Customer asked for our offers in this chat');
    await panel.getByRole('button', { name: 'Record', exact: true }).click();
    await panel.getByTestId('consent-history').waitFor();
    assert.equal(await panel.getByTestId('consent-Marketing').innerText(), 'Granted');
    assert.match(
      await panel.getByTestId('consent-history').innerText(),
      /recorded by an agent[\s\S]*Customer asked for our offers/,
    );
    await context.close();
  });

  it('an admin adds and approves a template under Admin → Templates; agents can list it', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const admin = await context.newPage();
    admin.setDefaultTimeout(10_000);
    await admin.goto(`${server.baseUrl}/#/admin/templates`);
    await admin.getByLabel('Email').fill(server.admin.email);
    await admin.getByLabel('Password').fill(server.admin.password);
    await admin.getByRole('button', { name: 'Sign in' }).click();
    await admin.getByRole('heading', { name: 'Message templates' }).waitFor();
    await admin.getByLabel('Name').fill('order_update');
    await admin.getByLabel('Language').fill('es');
    await admin.getByLabel('Body').fill('Hola, tu pedido {{1}} está en camino.');
    await admin.getByRole('button', { name: 'Add template' }).click();
    const row = admin.getByTestId('templates-table').getByRole('row').filter({ hasText: 'order_update' });
    await row.waitFor();
    assert.match(await row.innerText(), /Not approved/);
    await row.getByRole('button', { name: 'Approve' }).click();
    await row.getByText('Approved', { exact: true }).waitFor();
    await admin.screenshot({ path: '/tmp/parley-templates.png' });
    await context.close();
    const agent = new Session(server.baseUrl);
    await agent.login(AGENT.email, AGENT.password);
    const list = await agent.get<{ items: Array<{ name: string; approved: boolean; variables: number }> }>(
      '/api/templates',
    );
    assert.deepEqual(
      list.body.items.map((t) => [t.name, t.approved, t.variables]),
      [['order_update', true, 1]],
    );
  });

  it('a supervisor finds the refusal on the audit trail', async () => {
    const sup = new Session(server.baseUrl);
    assert.equal((await sup.login(SUPERVISOR.email, SUPERVISOR.password)).status, 200);
    const audit = await sup.get<{
      items: Array<{ action: string; actor: { name: string | null }; details: Record<string, unknown> }>;
    }>('/api/audit?action=message.blocked');
    assert.equal(audit.status, 200, `GET /api/audit: ${JSON.stringify(audit.body)}`);
    const entry = audit.body.items.find((e) => e.action === 'message.blocked');
    assert.ok(entry, 'the refusal is audited');
    assert.equal(entry.actor.name, AGENT.name);
    assert.equal(entry.details.code, 'content_blocked');
    assert.equal(entry.details.check, 'content');
    assert.ok(!JSON.stringify(audit.body).includes('arrived broken'), "never the customer's text");
  });
});
