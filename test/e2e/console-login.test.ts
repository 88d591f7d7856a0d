// Browser test of the console shell against the real server (built console served from dist/client): login
// errors, admin shell + role-aware nav + live indicator, creating a user in Admin → Users, logout, an agent's
// restricted nav, and an agent pushed back to login when deactivated. Must never mock the server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { assertConsoleBuilt, launchChromium } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const SHELL_SCREENSHOT = '/tmp/parley-shell.png';
const ADMIN_SCREENSHOT = '/tmp/parley-admin-users.png';
const AGENT = { name: 'Dana Agent', email: 'dana.agent@parley.test', password: 'agent-password-42' };

async function newPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return { context, page };
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function navLabels(page: Page): Promise<string[]> {
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.waitFor();
  return (await nav.getByRole('link').allInnerTexts()).map((t) => t.trim());
}

describe('console shell in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  let admin: { context: BrowserContext; page: Page };
  let agent: { context: BrowserContext; page: Page };

  before(async () => {
    assertConsoleBuilt();
    server = await startTestServer();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('refuses a wrong password, then shows the admin shell with all sections and a live connection', async () => {
    admin = await newPage(browser);
    const { page } = admin;
    await page.goto(server.baseUrl);
    assert.equal(await page.title(), 'Parley');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();

    await signIn(page, server.admin.email, 'not-the-password');
    const error = page.getByTestId('login-error');
    await error.waitFor();
    assert.equal((await error.innerText()).trim(), 'Wrong email or password');
    assert.equal(await page.getByLabel('Password').inputValue(), '', 'the wrong password is cleared');

    const loginResponse = page.waitForResponse((r) => r.url().endsWith('/api/auth/login') && r.status() === 200);
    await signIn(page, server.admin.email, server.admin.password);
    const { user } = (await (await loginResponse).json()) as { user: { name: string } };

    await page.getByTestId('current-user').waitFor();
    assert.match(await page.getByTestId('current-user').innerText(), new RegExp(user.name));
    assert.deepEqual(await navLabels(page), ['Inbox', 'Dashboard', 'Supervision', 'Admin']);
    await page.locator('[data-testid="live-indicator"][data-state="connected"]').waitFor();
    assert.equal((await page.getByTestId('live-indicator').innerText()).trim(), 'Live');
    await page.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();

    const stored = await page.evaluate(() => localStorage.length + sessionStorage.length);
    assert.equal(stored, 0, 'nothing is kept in web storage');
    await page.screenshot({ path: SHELL_SCREENSHOT, fullPage: true });
  });

  it('creates an agent from Admin → Users and shows server validation next to the form', async () => {
    const { page } = admin;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { name: 'Users', level: 2 }).waitFor();
    const table = page.getByTestId('users-table');
    await table.getByText(server.admin.email).waitFor();

    // Client-side rule from the shared schema: password length.
    await page.getByLabel('Name', { exact: true }).fill(AGENT.name);
    await page.getByLabel('Email', { exact: true }).fill(AGENT.email);
    await page.getByLabel('Role', { exact: true }).selectOption('agent');
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByText('Password must be at least 10 characters').waitFor();

    // Server-side rule: the email is taken (409) → shown under the email field.
    await page.getByLabel('Email', { exact: true }).fill(server.admin.email);
    await page.getByLabel('Password', { exact: true }).fill(AGENT.password);
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.locator('#new-user-email-error').waitFor();

    await page.getByLabel('Email', { exact: true }).fill(AGENT.email);
    await page.getByRole('button', { name: 'Create user' }).click();
    const row = table.locator(`tr[data-user-email="${AGENT.email}"]`);
    await row.waitFor();
    assert.match(await row.innerText(), new RegExp(`${AGENT.name}[\\s\\S]*Active[\\s\\S]*Never`));
    assert.equal(await row.getByRole('combobox').inputValue(), 'agent');
    assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), '', 'the form is reset');
    await page.screenshot({ path: ADMIN_SCREENSHOT, fullPage: true });
  });

  it('logs out back to the login page', async () => {
    const { page } = admin;
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const me = await page.evaluate(async () => (await fetch('/api/auth/me')).status);
    assert.equal(me, 401, 'the server session is gone');
  });

  it('shows an agent only the Inbox', async () => {
    agent = await newPage(browser);
    const { page } = agent;
    await page.goto(server.baseUrl);
    await signIn(page, AGENT.email, AGENT.password);
    await page.getByTestId('current-user').waitFor();
    assert.match(await page.getByTestId('current-user').innerText(), /Dana Agent[\s\S]*Agent/);
    assert.deepEqual(await navLabels(page), ['Inbox']);
    await page.locator('[data-testid="live-indicator"][data-state="connected"]').waitFor();

    await page.goto(`${server.baseUrl}/#/admin/users`);
    await page.getByRole('heading', { name: 'No access' }).waitFor();
    assert.equal(await page.getByTestId('users-table').count(), 0);
  });

  it('drops a deactivated agent back to the login page with an explanation', async () => {
    const { page } = admin;
    await signIn(page, server.admin.email, server.admin.password);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    const row = page.getByTestId('users-table').locator(`tr[data-user-email="${AGENT.email}"]`);
    await row.getByRole('button', { name: 'Deactivate' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Deactivate' }).click();
    await row.getByText('Deactivated').waitFor();

    await agent.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await agent.page.getByText('Your account was deactivated', { exact: false }).waitFor();

    await signIn(agent.page, AGENT.email, AGENT.password);
    await agent.page.getByTestId('login-error').waitFor();
    await agent.context.close();
    await admin.context.close();
  });
});
