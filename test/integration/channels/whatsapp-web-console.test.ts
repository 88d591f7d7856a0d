// Browser test of linking a WhatsApp number in Admin → Channels against the real server: first with the real
// whatsapp-web.js + Debian chromium offline (a clear "Cannot reach WhatsApp" state, no crash, no orphan browser),
// then the live QR flow (the QR image follows `channel:qr` as it rotates, states follow `channel:state`) with a
// NoAuth client whose browser calls are stubbed. Needs the built console (`npm run build:client`).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { assertConsoleBuilt, launchChromium } from '../../helpers/browser.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createFakeWweb } from '../../fakes/wweb-client.js';
import { clientPaths } from '../../../server/src/channels/whatsapp-web/client.js';

const SCREENSHOT = '/tmp/parley-whatsapp-web-link.png';
const OFFLINE_SCREENSHOT = '/tmp/parley-whatsapp-web-offline.png';
let server: TestServer;
let browser: Browser;
let page: Page;

before(async () => {
  assertConsoleBuilt();
  server = await startTestServer();
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

function chromiumFor(dir: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', dir], { encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

test(
  'admin links a number: offline failure shown clearly, then the live QR flow to ready',
  { timeout: 120_000 },
  async () => {
    await page.goto(server.baseUrl);
    await page.getByLabel('Email').fill(server.admin.email);
    await page.getByLabel('Password').fill(server.admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('current-user').waitFor();
    await page.goto(`${server.baseUrl}/#/admin/channels`);

    await page.getByLabel('Kind').selectOption('whatsapp-web');
    await page.getByLabel('Name', { exact: true }).fill('Shop phone');
    await page.getByRole('button', { name: 'Add channel' }).click();
    const dialog = page.getByTestId('link-dialog');
    await dialog.waitFor();
    await dialog.locator('[data-state="idle"]').waitFor();

    // Real library + real chromium, no internet.
    await dialog.getByRole('button', { name: 'Link number' }).click();
    await dialog.locator('[data-state="failed"]').waitFor({ timeout: 90_000 });
    assert.equal((await dialog.getByTestId('link-reason').innerText()).trim(), 'Cannot reach WhatsApp (no internet)');
    assert.equal(await dialog.getByRole('button', { name: 'Try again' }).count(), 1);
    const row = page.locator('tr[data-channel-name="Shop phone"]');
    await page.screenshot({ path: OFFLINE_SCREENSHOT });
    assert.match(await row.innerText(), /Failed[\s\S]*Cannot reach WhatsApp \(no internet\)/);
    const id = (await row.getAttribute('data-channel-id'))!;
    await server.server.whatsappWeb.whenSettled(id);
    const dir = clientPaths(server.server.config.dataDir, id).userDataDir;
    const end = Date.now() + 10_000;
    while (chromiumFor(dir).length && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(chromiumFor(dir), [], 'no orphan chromium');

    // Live QR flow (browser-bound calls stubbed).
    const fake = createFakeWweb();
    server.server.whatsappWeb.setClientFactory(() => fake.client);
    // A retry with backoff is scheduled after the failure; stop it so the next start is the one we drive.
    await server.server.whatsappWeb.stop(id);
    await dialog.getByRole('button', { name: 'Link number' }).click();
    await dialog.locator('[data-state="authenticating"]').waitFor();
    await server.server.whatsappWeb.whenSettled(id);
    fake.client.emit('qr', '2@first-code,abc,def');
    const img = dialog.getByTestId('link-qr');
    await img.waitFor();
    const first = await img.getAttribute('src');
    assert.match(first ?? '', /^data:image\/png;base64,/);
    fake.client.emit('qr', '2@rotated-code,ghi,jkl');
    await page.waitForFunction(
      (prev) => document.querySelector('[data-testid="link-qr"]')?.getAttribute('src') !== prev,
      first,
    );
    await page.screenshot({ path: SCREENSHOT });

    fake.client.emit('authenticated');
    fake.client.emit('ready');
    await dialog.locator('[data-state="ready"]').waitFor();
    assert.equal(await dialog.getByTestId('link-qr').count(), 0, 'no QR once linked');
    await dialog.getByRole('button', { name: 'Close' }).click();
    assert.match(await row.innerText(), /Ready/);
    await row.getByRole('button', { name: 'Manage' }).click();
    await dialog.getByRole('button', { name: 'Log out' }).click();
    await dialog.locator('[data-state="logged_out"]').waitFor();
    assert.ok(fake.calls.includes('logout'));
  },
);
