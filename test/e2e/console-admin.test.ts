// Browser test of admin and supervision rough edges at 1440 px: a new integration's one-time token fits its box
// and its Copy button puts exactly the token on the clipboard; the templates table fits without scrolling
// sideways even with a long name and body; approving a held message in the review queue refreshes the audit list
// on the same screen. Must never mock the server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Session } from '../helpers/http.js';
import { assertConsoleBuilt, launchChromium } from '../helpers/browser.js';
import { waitForConversations } from '../helpers/console-page.js';
import { signInBrowser } from '../helpers/sandbox.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const HELD = 'Dame tu correo personal y lo vemos';

describe('admin screens at 1440 px', () => {
  let server: TestServer;
  let browser: Browser;
  let api: Session;
  let context: BrowserContext;
  let page: Page;

  before(async () => {
    assertConsoleBuilt();
    server = await startTestServer();
    browser = await launchChromium();
    api = new Session(server.baseUrl);
    assert.equal((await api.login(server.admin.email, server.admin.password)).status, 200);
    context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    await signInBrowser(context, server);
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the one-time integration token fits and Copy puts it on the clipboard', async () => {
    await page.goto(`${server.baseUrl}/#/admin/integrations`);
    await page.getByLabel('Name').fill('Carrier tracking updates');
    await page.getByRole('button', { name: 'Create' }).click();
    const shown = page.getByTestId('integration-token');
    await shown.waitFor();
    const field = shown.getByRole('textbox', { name: /Token for/ });
    const token = await field.inputValue();
    assert.match(token, /^\S{20,}$/);
    const f = (await field.boundingBox())!;
    const card = (await shown.boundingBox())!;
    assert.ok(f.x >= card.x && f.x + f.width <= card.x + card.width, 'the token field fits its box');
    const copy = shown.getByRole('button', { name: 'Copy', exact: true });
    const c = (await copy.boundingBox())!;
    assert.ok(c.x + c.width <= card.x + card.width, 'the Copy button fits too');
    await copy.click();
    await shown.getByRole('button', { name: 'Copied', exact: true }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), token);
    await shown.getByRole('button', { name: 'I copied it' }).click();
    await shown.waitFor({ state: 'detached' });
    assert.ok(!(await page.content()).includes(token), 'the token is gone from the page');
  });

  it('the templates table fits at 1440 px', async () => {
    const r = await api.post('/api/templates', {
      name: 'order_shipping_update_with_tracking_link',
      language: 'es_ES',
      category: 'utility',
      body: 'Hola {{1}}, tu pedido {{2}} ha salido de nuestro almacén y llegará pronto. Sigue el envío aquí: {{3}}',
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    await page.goto(`${server.baseUrl}/#/admin/templates`);
    const table = page.getByTestId('templates-table');
    await table.getByRole('row').filter({ hasText: 'order_shipping' }).waitFor();
    const m = await table.evaluate((t) => ({ table: t.scrollWidth, box: t.parentElement!.clientWidth }));
    assert.ok(m.table <= m.box, `the table fits its card (${JSON.stringify(m)})`);
    for (const name of ['Approve', 'Edit', 'Delete']) {
      assert.ok(await table.getByRole('button', { name }).isVisible(), `${name} is on screen`);
    }
  });

  it('approving a held message refreshes the audit list on the same screen', async () => {
    const sent = await api.post('/sandbox/api/messages', { name: 'Carla', phone: '34600222333', text: 'Hola' });
    assert.ok(sent.status < 300);
    const [conversation] = await waitForConversations(api);
    const held = await api.post(`/api/conversations/${conversation.id}/messages`, { text: HELD });
    assert.equal(held.status, 422);
    assert.equal(held.body.error.code, 'held_for_review');

    await page.goto(`${server.baseUrl}/#/supervision`);
    const audit = page.getByTestId('audit-search');
    await audit.getByTestId('audit-table').getByRole('row').filter({ hasText: 'message.held' }).first().waitFor();
    assert.equal(await audit.getByRole('row').filter({ hasText: 'review.approved' }).count(), 0);
    const item = page.getByTestId('review-item').filter({ hasText: HELD });
    await item.getByRole('button', { name: 'Approve and send' }).click();
    await item.waitFor({ state: 'detached' });
    await audit.getByRole('row').filter({ hasText: 'review.approved' }).first().waitFor();
    await context.close();
  });
});
