// Browser helpers shared by the console e2e tests: a page of a fresh context at a given viewport, signed in
// through the login form at a deep link, with browser warnings and errors echoed to the test log. Must never
// reach into the database or stub the server.
import type { Browser, BrowserContext, Page } from 'playwright-core';

export interface ConsoleTab {
  context: BrowserContext;
  page: Page;
}

export async function openConsole(
  browser: Browser,
  baseUrl: string,
  who: { email: string; password: string },
  opts: { path?: string; width?: number; height?: number; initScript?: string } = {},
): Promise<ConsoleTab> {
  const context = await browser.newContext({ viewport: { width: opts.width ?? 1440, height: opts.height ?? 900 } });
  if (opts.initScript) await context.addInitScript({ content: opts.initScript });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('console', (msg) => {
    if (msg.type() !== 'warning' && msg.type() !== 'error') return;
    if (!msg.text().includes('status of 401')) console.log(`[browser ${msg.type()}] ${msg.text()}`);
  });
  await page.goto(`${baseUrl}/#${opts.path ?? '/inbox'}`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('[data-testid="live-indicator"][data-state="connected"]').waitFor();
  return { context, page };
}

/** Polls GET /api/conversations until at least `count` conversations are listed (intake is asynchronous). */
export async function waitForConversations<T = { id: string; contact: { displayName: string | null } }>(
  session: { get<R>(path: string): Promise<{ status: number; body: R }> },
  count = 1,
): Promise<T[]> {
  for (let i = 0; i < 100; i++) {
    const r = await session.get<{ items: T[] }>('/api/conversations');
    if (r.status === 200 && r.body.items.length >= count) return r.body.items;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`fewer than ${count} conversations after 10 s`);
}
