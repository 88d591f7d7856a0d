// Browser test of new-message alerts: while an admin is on the dashboard, a customer writes (sandbox phone API)
// → the tab title and the Inbox item show the unread count; the admin's own reply never counts; an agent outside
// the channel never gets a count; the sound (WebAudio, recorded by a stub) and desktop notifications (behind the
// opt-in button, recorded by a stub Notification) fire with the masked handle only; a browser that denied
// notifications is never asked again; opening the conversation clears the count. Must never mock the server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { Session } from '../helpers/http.js';
import { assertConsoleBuilt, launchChromium } from '../helpers/browser.js';
import { openConsole, waitForConversations, type ConsoleTab } from '../helpers/console-page.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const OUTSIDER = { name: 'Olga Outside', email: 'olga.outside@parley.test', password: 'outsider-password-42' };
const CUSTOMER = { name: 'Rosa Alerta', phone: '34600999111' };
const SECRET_TEXT = 'my card number is 4111';

/** Stubs the browser APIs the alerts use, recording what the page asked of them. */
const stubs = (permission: 'default' | 'denied') => `
  window.__notifications = [];
  window.__permissionAsked = 0;
  window.__beeps = 0;
  class StubNotification {
    static permission = ${JSON.stringify(permission)};
    static requestPermission() {
      window.__permissionAsked += 1;
      if (StubNotification.permission === 'default') StubNotification.permission = 'granted';
      return Promise.resolve(StubNotification.permission);
    }
    constructor(title, options) { window.__notifications.push({ title, ...options }); }
    close() {}
  }
  window.Notification = StubNotification;
  class StubAudioContext {
    state = 'running'; currentTime = 0; destination = {};
    resume() { return Promise.resolve(); }
    createGain() { return { gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} }, connect: (n) => n }; }
    createOscillator() {
      return { type: '', frequency: { value: 0 }, connect: (n) => n, start() { window.__beeps += 1; }, stop() {} };
    }
  }
  window.AudioContext = StubAudioContext;
`;

async function titleCount(page: Page): Promise<number> {
  const m = /^\((\d+)\) /.exec(await page.title());
  return m ? Number(m[1]) : 0;
}

async function waitForTitleCount(page: Page, atLeast: number): Promise<number> {
  await page.waitForFunction((n) => {
    const m = /^\((\d+)\) /.exec(document.title);
    return m !== null && Number(m[1]) >= n;
  }, atLeast);
  return titleCount(page);
}

describe('new-message alerts in the browser', () => {
  let server: TestServer;
  let browser: Browser;
  let api: Session;
  let admin: ConsoleTab;
  let outsider: ConsoleTab;
  let conversationId = '';

  const customerWrites = async (text: string) => {
    const r = await api.post('/sandbox/api/messages', { ...CUSTOMER, text });
    assert.ok(r.status < 300, `sandbox customer message: ${r.status} ${JSON.stringify(r.body)}`);
  };

  before(async () => {
    assertConsoleBuilt();
    server = await startTestServer();
    browser = await launchChromium();
    api = new Session(server.baseUrl);
    assert.equal((await api.login(server.admin.email, server.admin.password)).status, 200);
    const r = await api.post('/api/users', { ...OUTSIDER, role: 'agent', channelIds: [] });
    assert.equal(r.status, 201);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('counts a customer message in the title and on the Inbox item while on the dashboard', async () => {
    admin = await openConsole(browser, server.baseUrl, server.admin, {
      path: '/dashboard',
      initScript: stubs('default'),
    });
    outsider = await openConsole(browser, server.baseUrl, OUTSIDER, { path: '/inbox', initScript: stubs('default') });
    const { page } = admin;
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    assert.equal(await page.title(), 'Dashboard · Parley');

    await customerWrites('Hola, ¿tenéis la chaqueta en talla M?');
    assert.equal(await waitForTitleCount(page, 1), 1);
    assert.equal(await page.title(), '(1) Dashboard · Parley');
    assert.equal(await page.getByTestId('nav-unread').innerText(), '1');
    assert.match(await page.getByRole('navigation', { name: 'Main' }).innerText(), /Inbox\s*1/);
    assert.ok(page.url().endsWith('#/dashboard'), 'still on the dashboard');

    await customerWrites('¿Y en azul?');
    assert.equal(await waitForTitleCount(page, 2), 2);
    conversationId = (await waitForConversations(api))[0].id;
  });

  it("the admin's own reply and note do not count; an agent outside the channel never gets a count", async () => {
    const reply = await api.post(`/api/conversations/${conversationId}/messages`, { text: 'Sí, en azul y negro.' });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    const note = await api.post(`/api/conversations/${conversationId}/messages`, { note: 'Check stock' });
    assert.equal(note.status, 201, JSON.stringify(note.body));
    // Answering the conversation settles its unread messages (the server resets the count): never a rise.
    await admin.page.waitForFunction(() => document.title === 'Dashboard · Parley');
    await customerWrites('Perfecto, gracias');
    // Had the reply or the note counted, the title would pass 1.
    assert.equal(await waitForTitleCount(admin.page, 1), 1);
    await admin.page.waitForTimeout(300);
    assert.equal(await titleCount(admin.page), 1);
    assert.equal(await outsider.page.title(), 'Inbox · Parley', 'no count for a conversation it may not see');
    assert.equal(await outsider.page.getByTestId('nav-unread').count(), 0);
  });

  it('desktop notifications only after the opt-in, with the masked handle only; the sound when chosen', async () => {
    const { page } = admin;
    await customerWrites('Una pregunta más');
    await waitForTitleCount(page, 2);
    assert.equal(await page.evaluate(() => (window as any).__notifications.length), 0, 'nothing before opting in');
    assert.equal(await page.evaluate(() => (window as any).__beeps), 0, 'no sound before choosing it');
    assert.equal(await page.evaluate(() => (window as any).__permissionAsked), 0, 'never asked on its own');

    await page.getByRole('button', { name: 'Alerts' }).click();
    const menu = page.getByTestId('alerts-menu');
    await menu.getByLabel('Play a sound when a customer writes').check();
    await menu.getByRole('button', { name: 'Turn on desktop notifications' }).click();
    await menu.getByTestId('desktop-state').waitFor();
    assert.equal(await page.evaluate(() => (window as any).__permissionAsked), 1);
    assert.deepEqual((await api.get('/api/users/me')).body, { alerts: { sound: true, desktop: true } });
    await page.keyboard.press('Escape');

    await customerWrites(SECRET_TEXT);
    await waitForTitleCount(page, 3);
    await page.waitForFunction(() => (window as any).__notifications.length > 0);
    const shown = await page.evaluate(() => (window as any).__notifications as Array<Record<string, string>>);
    assert.equal(shown.length, 1);
    const all = JSON.stringify(shown);
    assert.match(shown[0].body, /^From \S+/);
    assert.ok(!all.includes('4111') && !all.includes(CUSTOMER.phone) && !all.includes('Rosa'), all);
    assert.ok((await page.evaluate(() => (window as any).__beeps)) > 0, 'the beep played');

    // The setting is the user's: a reload keeps it.
    await page.reload();
    await page.locator('[data-testid="live-indicator"][data-state="connected"]').waitFor();
    await page.getByRole('button', { name: 'Alerts' }).click();
    assert.ok(await page.getByLabel('Play a sound when a customer writes').isChecked());
  });

  it('a browser that denied notifications is told so and never asked again', async () => {
    const denied = await openConsole(browser, server.baseUrl, OUTSIDER, { initScript: stubs('denied') });
    await denied.page.getByRole('button', { name: 'Alerts' }).click();
    await denied.page.getByTestId('desktop-denied').waitFor();
    assert.equal(await denied.page.getByRole('button', { name: 'Turn on desktop notifications' }).count(), 0);
    assert.equal(await denied.page.evaluate(() => (window as any).__permissionAsked), 0);
    await denied.context.close();
  });

  it('opening the conversation clears the count', async () => {
    const { page } = admin;
    await page.goto(`${server.baseUrl}/#/inbox/${conversationId}`);
    await page.getByTestId('thread').waitFor();
    await page.waitForFunction(() => !/^\(\d+\)/.test(document.title));
    assert.equal(await page.title(), 'Inbox · Parley');
    assert.equal(await page.getByTestId('nav-unread').count(), 0);
    await admin.context.close();
    await outsider.context.close();
  });
});
