// Browser test of labels and snooze: a supervisor creates a label in the thread's Labels dialog, ticks it on, sees
// the chip in the header and on the list row, and filters the list by it (the other conversation disappears); a
// ref code in a customer message shows as a chip; the conversation is snoozed with a preset and reopens live when
// the customer writes again. Must never mock the server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { Session } from '../helpers/http.js';
import { assertConsoleBuilt, launchChromium } from '../helpers/browser.js';
import { openConsole, waitForConversations, type ConsoleTab } from '../helpers/console-page.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const SUP = { name: 'Sol Supervisor', email: 'sol.labels@parley.test', password: 'supervisor-password-42' };
const ROSA = { name: 'Rosa Etiqueta', phone: '34600888001' };
const OTTO = { name: 'Otto Otro', phone: '34600888002' };

describe('labels and snooze in the browser', () => {
  let server: TestServer;
  let browser: Browser;
  let admin: Session;
  let tab: ConsoleTab;
  let rosaId = '';

  before(async () => {
    assertConsoleBuilt();
    server = await startTestServer();
    browser = await launchChromium();
    admin = new Session(server.baseUrl);
    assert.equal((await admin.login(server.admin.email, server.admin.password)).status, 200);
    assert.equal((await admin.post('/api/users', { ...SUP, role: 'supervisor' })).status, 201);
    for (const [who, text] of [
      [OTTO, 'Hola, ¿abrís el domingo?'],
      [ROSA, 'Hola, vengo del enlace [ref:K7Q2AB3C]'],
    ] as const) {
      const r = await admin.post('/sandbox/api/messages', { ...who, text });
      assert.ok(r.status < 300, `sandbox message: ${r.status}`);
    }
    const items = await waitForConversations(admin, 2);
    rosaId = items.find((c) => c.contact.displayName === ROSA.name)!.id;
    tab = await openConsole(browser, server.baseUrl, SUP, { path: `/inbox/${rosaId}` });
  });
  after(async () => {
    await tab?.context.close();
    await browser?.close();
    await server?.close();
  });

  it('shows the ref code as a chip, not raw text', async () => {
    const { page } = tab;
    const bubble = page.getByTestId('message').filter({ hasText: 'vengo del enlace' });
    await bubble.getByTestId('ref-chip').waitFor();
    assert.equal(await bubble.getByTestId('ref-chip').textContent(), 'ref K7Q2AB3C');
    assert.equal((await bubble.textContent())!.includes('[ref:'), false);
  });

  it('creates a label, adds it, and filters the list by it', async () => {
    const { page } = tab;
    await page.getByRole('button', { name: 'Labels…' }).click();
    await page.getByLabel('New label name').fill('VIP');
    await page.getByRole('radio', { name: 'Colour #dc2626' }).click();
    await page.getByRole('button', { name: 'Create label' }).click();
    const vip = page.getByRole('dialog').getByRole('checkbox', { name: 'VIP' });
    await vip.waitFor();
    // Saved at once: the box shows ticked once the server answered.
    await vip.click();
    await page.locator('.thread-head [data-testid="label-chip"]', { hasText: 'VIP' }).waitFor();
    assert.equal(await vip.isChecked(), true);
    await page.getByRole('button', { name: 'Done' }).click();
    const row = page.locator(`[data-testid="conversation-row"][data-conversation-id="${rosaId}"]`);
    await row.getByTestId('label-chip').filter({ hasText: 'VIP' }).waitFor();
    assert.equal(await page.getByTestId('conversation-row').count(), 2);

    await page.getByLabel('Filter by label').selectOption({ label: 'VIP' });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="conversation-row"]').length === 1);
    assert.equal(await row.count(), 1, 'the labelled conversation is the one left');
    await page.getByLabel('Filter by label').selectOption({ label: 'Any label' });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="conversation-row"]').length === 2);
  });

  it('snoozes with a preset and reopens when the customer writes', async () => {
    const { page } = tab;
    await page.getByRole('button', { name: 'Snooze…' }).click();
    await page.getByRole('button', { name: 'In 1 hour' }).click();
    await page.locator('[data-testid="thread-status"]', { hasText: 'snoozed' }).waitFor();
    await page.getByTestId('thread-snoozed-until').waitFor();
    const stored = await admin.get(`/api/conversations/${rosaId}`);
    assert.equal(stored.body.status, 'snoozed');
    const ahead = Date.parse(stored.body.snoozedUntil) - Date.now();
    assert.ok(ahead > 55 * 60_000 && ahead <= 3_600_000, `snoozed for about an hour (${ahead} ms)`);

    const r = await admin.post('/sandbox/api/messages', { ...ROSA, text: '¿Hola? ¿Seguís ahí?' });
    assert.ok(r.status < 300);
    await page.locator('[data-testid="thread-status"]', { hasText: 'open' }).waitFor();
    assert.equal(await page.getByTestId('thread-snoozed-until').count(), 0);
  });
});
