// Browser test of the console on every screen size (390, 1024 and 1440 px wide): every navigation item is
// reachable (through the Menu button on a phone), the page never scrolls sideways on any section or admin
// screen, and the contact panel is reachable — beside the thread (1440), as a drawer from the thread header's
// Contact button (1024), as a stacked view after list → thread with back buttons (390). Must never mock the
// server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { Session } from '../helpers/http.js';
import { assertConsoleBuilt, launchChromium } from '../helpers/browser.js';
import { waitForConversations } from '../helpers/console-page.js';
import { signInBrowser } from '../helpers/sandbox.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const SECTIONS = [
  { label: 'Inbox', hash: '#/inbox' },
  { label: 'Dashboard', hash: '#/dashboard' },
  { label: 'Supervision', hash: '#/supervision' },
  { label: 'Admin', hash: '#/admin/users' },
];
const ADMIN_SCREENS = ['users', 'channels', 'canned-replies', 'templates', 'integrations'];

async function assertNoSideScroll(page: Page, where: string): Promise<void> {
  const m = await page.evaluate(() => ({
    scrollWidth: document.scrollingElement!.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  assert.ok(m.scrollWidth <= m.innerWidth, `${where}: scrollWidth ${m.scrollWidth} > innerWidth ${m.innerWidth}`);
}

async function box(page: Page, testId: string) {
  const b = await page.getByTestId(testId).boundingBox();
  assert.ok(b, `${testId} has a box`);
  return b;
}

/** Claims (or unassigns) the open conversation, which answers with a toast, and checks it misses the composer. */
async function assertToastClearOfComposer(page: Page): Promise<void> {
  const thread = page.getByTestId('thread');
  const claim = thread.getByRole('button', { name: 'Claim' });
  await ((await claim.isVisible()) ? claim : thread.getByRole('button', { name: 'Unassign' })).click();
  const toast = page.locator('.toast').last();
  await toast.waitFor();
  const t = (await toast.boundingBox())!;
  const c = await box(page, 'composer');
  const overlaps = t.x < c.x + c.width && c.x < t.x + t.width && t.y < c.y + c.height && c.y < t.y + t.height;
  assert.ok(!overlaps, `the toast ${JSON.stringify(t)} covers the composer ${JSON.stringify(c)}`);
  await toast.getByRole('button', { name: 'Dismiss' }).click();
}

describe('the console at 390, 1024 and 1440 px', () => {
  let server: TestServer;
  let browser: Browser;
  let conversationId = '';

  before(async () => {
    assertConsoleBuilt();
    server = await startTestServer();
    browser = await launchChromium();
    const api = new Session(server.baseUrl);
    assert.equal((await api.login(server.admin.email, server.admin.password)).status, 200);
    const r = await api.post('/sandbox/api/messages', {
      name: 'Valentina Desplazamiento Horizontal',
      phone: '34600444555',
      text: `A long line without spaces: ${'x'.repeat(240)}`,
    });
    assert.ok(r.status < 300);
    conversationId = (await waitForConversations(api))[0].id;
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const width of [390, 1024, 1440]) {
    it(`${width} px: every navigation item is reachable and no page scrolls sideways`, async () => {
      const context = await browser.newContext({ viewport: { width, height: 820 } });
      await signInBrowser(context, server);
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      await page.goto(`${server.baseUrl}/#/inbox`);
      await page.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
      const menu = page.getByRole('button', { name: 'Menu' });
      const nav = page.getByRole('navigation', { name: 'Main' });
      assert.equal(await menu.isVisible(), width < 900, 'the Menu button only on narrow screens');

      for (const s of SECTIONS) {
        if (width < 900) {
          await menu.click();
          assert.equal(await menu.getAttribute('aria-expanded'), 'true');
        }
        const link = nav.getByRole('link', { name: s.label });
        assert.ok(await link.isVisible(), `${s.label} is visible at ${width}`);
        await link.click();
        await page.waitForFunction((h) => location.hash === h, s.hash);
        await page.locator('h1').first().waitFor();
        if (width < 900) await nav.getByRole('link', { name: s.label }).waitFor({ state: 'hidden' });
        await page.waitForTimeout(250); // charts and tables settle
        await assertNoSideScroll(page, `${s.label} at ${width}`);
      }
      for (const screen of ADMIN_SCREENS) {
        await page
          .getByRole('navigation', { name: 'Admin' })
          .getByRole('link')
          .nth(ADMIN_SCREENS.indexOf(screen))
          .click();
        await page.waitForFunction((h) => location.hash === h, `#/admin/${screen}`);
        await page.waitForTimeout(250);
        await assertNoSideScroll(page, `admin/${screen} at ${width}`);
      }
      // Log out is reachable too (in the menu on a phone).
      if (width < 900) await menu.click();
      assert.ok(await page.getByRole('button', { name: 'Log out' }).isVisible(), `Log out at ${width}`);
      await context.close();
    });
  }

  it('1440 px: the contact panel sits beside the thread', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 820 } });
    await signInBrowser(context, server);
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/#/inbox/${conversationId}`);
    await page.getByTestId('thread').waitFor();
    await page.getByTestId('contact-panel').getByTestId('contact-handle').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Contact', exact: true }).isVisible(), false);
    assert.ok(await page.getByTestId('conversation-row').first().isVisible(), 'the list is shown too');
    const thread = await box(page, 'thread');
    const panel = await box(page, 'contact-panel');
    assert.ok(panel.x >= thread.x + thread.width - 1, 'beside the thread, not over it');
    await assertNoSideScroll(page, 'thread at 1440');
    await assertToastClearOfComposer(page);
    // The privacy buttons fit: each on one line, inside the panel.
    const buttons = page.getByTestId('contact-privacy').getByRole('button');
    assert.ok((await buttons.count()) >= 2);
    for (const b of await buttons.all()) {
      const r = (await b.boundingBox())!;
      assert.ok(r.height <= 32, `"${await b.innerText()}" is on one line (${r.height}px)`);
      assert.ok(r.x >= panel.x && r.x + r.width <= panel.x + panel.width + 0.5, `"${await b.innerText()}" fits`);
    }
    await page.screenshot({ path: '/tmp/parley-layout-1440.png' });
    await context.close();
  });

  it('1024 px: the contact panel opens as a drawer from the thread header', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 820 } });
    await signInBrowser(context, server);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${server.baseUrl}/#/inbox/${conversationId}`);
    await page.getByTestId('thread').waitFor();
    assert.ok(await page.getByTestId('conversation-row').first().isVisible(), 'list and thread side by side');
    assert.equal(await page.getByTestId('contact-panel').isVisible(), false, 'the panel starts closed');
    const toggle = page.getByTestId('thread').getByRole('button', { name: 'Contact', exact: true });
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    await page.getByTestId('contact-panel').getByTestId('contact-handle').waitFor();
    const panel = await box(page, 'contact-panel');
    assert.ok(
      Math.abs(panel.x + panel.width - 1024) <= 1 && panel.width < 500,
      `a drawer at the right (${JSON.stringify(panel)})`,
    );
    assert.ok(await page.getByRole('button', { name: 'Record consent' }).isVisible(), 'its actions are usable');
    await assertNoSideScroll(page, 'drawer at 1024');
    await page.screenshot({ path: '/tmp/parley-layout-1024.png' });
    await page.keyboard.press('Escape');
    await page.getByTestId('contact-panel').waitFor({ state: 'hidden' });
    await assertToastClearOfComposer(page);
    await toggle.click();
    await page.getByRole('button', { name: 'Back to conversation' }).click();
    await page.getByTestId('contact-panel').waitFor({ state: 'hidden' });
    await context.close();
  });

  it('390 px: list → thread → contact panel as stacked views with back buttons', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 820 } });
    await signInBrowser(context, server);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${server.baseUrl}/#/inbox`);
    const row = page.getByTestId('conversation-row').first();
    await row.waitFor();
    assert.equal(await page.getByTestId('thread').count(), 0);
    await assertNoSideScroll(page, 'list at 390');

    await row.click();
    await page.getByTestId('thread').waitFor();
    assert.equal(await row.isVisible(), false, 'the thread replaces the list');
    await page.getByTestId('message').first().waitFor();
    await assertNoSideScroll(page, 'thread at 390');
    const composer = await box(page, 'composer');
    assert.ok(composer.x >= 0 && composer.x + composer.width <= 390, 'the composer fits');
    await page.screenshot({ path: '/tmp/parley-layout-390-thread.png' });

    await page.getByTestId('thread').getByRole('button', { name: 'Contact', exact: true }).click();
    await page.getByTestId('contact-panel').getByTestId('contact-handle').waitFor();
    const panel = await box(page, 'contact-panel');
    assert.ok(panel.x <= 0.5 && panel.width >= 389, `the panel takes the screen (${JSON.stringify(panel)})`);
    await assertNoSideScroll(page, 'contact panel at 390');
    await page.screenshot({ path: '/tmp/parley-layout-390-contact.png' });
    await page.getByRole('button', { name: 'Back to conversation' }).click();
    await page.getByTestId('contact-panel').waitFor({ state: 'hidden' });
    assert.ok(await page.getByTestId('thread').isVisible());

    await assertToastClearOfComposer(page);
    await page.getByRole('link', { name: 'Back to conversations' }).click();
    await row.waitFor();
    assert.equal(page.url().endsWith('#/inbox'), true);
    await context.close();
  });
});
