// Browser test of thread reliability: a thread whose images load late (media answers delayed) opens and stays at
// the newest message; the composer is focused when a conversation opens; a message held for review clears the
// composer so a second Enter files nothing more; Shift+Enter adds a line; keyboard shortcuts move between
// conversations (Alt+↓/↑ anywhere, j/k outside fields), focus the composer (/), and ? opens the help sheet.
// Must never mock the server (only the browser's media answers are slowed down).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { Session } from '../helpers/http.js';
import { assertConsoleBuilt, launchChromium } from '../helpers/browser.js';
import { openConsole, waitForConversations, type ConsoleTab } from '../helpers/console-page.js';
import { solidPng } from '../helpers/png.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const AGENT = { name: 'Tea Thread', email: 'tea.thread@parley.test', password: 'agent-password-42' };
const FIRST = { name: 'Ines Imagen', phone: '34600777001' };
const SECOND = { name: 'Pablo Segundo', phone: '34600777002' };
const HELD = 'Dame tu correo personal y lo vemos';

async function atBottom(page: Page): Promise<{ gap: number; scrollHeight: number; clientHeight: number }> {
  return page.getByTestId('thread-messages').evaluate((el) => ({
    gap: el.scrollHeight - el.scrollTop - el.clientHeight,
    scrollHeight: el.scrollHeight,
    clientHeight: el.clientHeight,
  }));
}

describe('thread reliability in the browser', () => {
  let server: TestServer;
  let browser: Browser;
  let agentApi: Session;
  let tab: ConsoleTab;
  let firstId = '';
  let secondId = '';

  before(async () => {
    assertConsoleBuilt();
    server = await startTestServer();
    browser = await launchChromium();
    const admin = new Session(server.baseUrl);
    assert.equal((await admin.login(server.admin.email, server.admin.password)).status, 200);
    const channels = await admin.get<{ items: Array<{ id: string; kind: string }> }>('/api/channels');
    const sandbox = channels.body.items.find((c) => c.kind === 'sandbox');
    assert.ok(sandbox);
    assert.equal((await admin.post('/api/users', { ...AGENT, role: 'agent', channelIds: [sandbox.id] })).status, 201);
    agentApi = new Session(server.baseUrl);
    assert.equal((await agentApi.login(AGENT.email, AGENT.password)).status, 200);

    for (const who of [FIRST, SECOND]) {
      const r = await admin.post('/sandbox/api/messages', { ...who, text: `Hola, soy ${who.name}` });
      assert.ok(r.status < 300, `sandbox message: ${r.status}`);
    }
    const items = await waitForConversations(agentApi, 2);
    firstId = items.find((c) => c.contact.displayName === FIRST.name)!.id;
    secondId = items.find((c) => c.contact.displayName === SECOND.name)!.id;
    // The first thread: tall images, then a last text line that must be on screen when it opens.
    for (let i = 0; i < 4; i++) {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(solidPng(200, 600))], { type: 'image/png' }), `photo-${i}.png`);
      const res = await fetch(`${server.baseUrl}/api/conversations/${firstId}/attachments`, {
        method: 'POST',
        headers: { cookie: agentApi.cookie, 'x-csrf-token': agentApi.csrfToken },
        body: form,
      });
      assert.equal(res.status, 201, `upload: ${await res.text()}`);
    }
    const last = await agentApi.post(`/api/conversations/${firstId}/messages`, { text: 'Newest line of the thread' });
    assert.equal(last.status, 201);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('opens at the newest message and stays there while late images load; the composer has focus', async () => {
    tab = await openConsole(browser, server.baseUrl, AGENT, { path: `/inbox/${firstId}`, width: 1440, height: 800 });
    const { page } = tab;
    // Every image answers 700 ms late, after the thread has rendered and scrolled.
    await page.route('**/api/media/**', async (route) => {
      await new Promise((r) => setTimeout(r, 700));
      await route.continue();
    });
    await page.reload();
    await page.getByTestId('thread').waitFor();
    await page.getByTestId('message').filter({ hasText: 'Newest line of the thread' }).waitFor();
    await page.waitForFunction(() => {
      const imgs = [...document.querySelectorAll<HTMLImageElement>('[data-testid="thread-messages"] img')];
      return imgs.length === 4 && imgs.every((i) => i.complete && i.naturalHeight > 0);
    });
    await page.waitForTimeout(200); // a frame for the observer
    const pos = await atBottom(page);
    assert.ok(pos.scrollHeight > pos.clientHeight + 400, `the thread overflows (${JSON.stringify(pos)})`);
    assert.ok(pos.gap <= 2, `at the newest message after the images loaded (${JSON.stringify(pos)})`);
    assert.ok(await page.getByTestId('message').filter({ hasText: 'Newest line' }).isVisible());
    assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute('aria-label')),
      'Reply',
      'the composer is focused',
    );
  });

  it('a held message clears the composer; a second Enter files nothing more', async () => {
    const { page } = tab;
    const composer = page.getByRole('textbox', { name: 'Reply' });
    await composer.fill(HELD);
    await composer.press('Enter');
    await page.getByTestId('send-refusal').filter({ hasText: 'Held for supervisor review' }).waitFor();
    const held = page.getByTestId('message').filter({ hasText: HELD });
    await held.waitFor();
    assert.equal(await composer.inputValue(), '', 'the composer is cleared');
    // The held mark is drawn (SVG), not a glyph Debian's fonts may lack.
    const mark = held.getByTestId('message-status');
    assert.equal(await mark.getAttribute('data-status'), 'held');
    assert.equal(await mark.locator('svg').count(), 1);
    assert.equal((await mark.innerText()).trim(), '', 'no text glyph');
    const size = (await mark.locator('svg').boundingBox())!;
    assert.ok(size.width > 0 && size.height > 0, 'the mark is rendered');
    await composer.press('Enter');
    await page.waitForTimeout(500);
    assert.equal(await held.count(), 1, 'only one held message');
    const stored = await agentApi.get<{ items: Array<{ text: string | null; status: string }> }>(
      `/api/conversations/${firstId}/messages`,
    );
    assert.deepEqual(
      stored.body.items.filter((m) => m.text === HELD).map((m) => m.status),
      ['held'],
    );
  });

  it('Shift+Enter adds a line instead of sending', async () => {
    const { page } = tab;
    const composer = page.getByRole('textbox', { name: 'Reply' });
    await composer.fill('first line');
    await composer.press('Shift+Enter');
    await composer.pressSequentially('second line');
    assert.equal(await composer.inputValue(), 'first line\nsecond line');
    await composer.fill('');
  });

  it('keyboard shortcuts: next/previous conversation, focus the composer, the ? sheet', async () => {
    const { page } = tab;
    const order = await page
      .getByTestId('conversation-row')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-conversation-id')));
    assert.deepEqual([...order].sort(), [firstId, secondId].sort());
    const here = () => decodeURIComponent(new URL(page.url()).hash.replace('#/inbox/', ''));
    const at = order.indexOf(here());
    const other = order[1 - at]!;
    const downFromFirst = at === 0;

    // Alt+arrow works from inside the composer.
    await page.getByRole('textbox', { name: 'Reply' }).focus();
    await page.keyboard.press(downFromFirst ? 'Alt+ArrowDown' : 'Alt+ArrowUp');
    await page.waitForFunction((id) => location.hash === `#/inbox/${id}`, other);
    await page
      .getByTestId('thread')
      .and(page.locator(`[data-conversation-id="${other}"]`))
      .waitFor();

    // j/k outside text fields (Escape leaves the composer first).
    await page.keyboard.press('Escape');
    await page.keyboard.press(downFromFirst ? 'k' : 'j');
    await page.waitForFunction((id) => location.hash === `#/inbox/${id}`, order[at]!);
    await page
      .getByTestId('thread')
      .and(page.locator(`[data-conversation-id="${order[at]}"]`))
      .waitFor();

    // Typing j in the composer types a j.
    const composer = page.getByRole('textbox', { name: 'Reply' });
    await composer.focus();
    await page.keyboard.press('j');
    assert.equal(await composer.inputValue(), 'j');
    assert.equal(here(), order[at]);
    await composer.fill('');

    await page.keyboard.press('Escape');
    assert.notEqual(await page.evaluate(() => document.activeElement?.tagName), 'TEXTAREA');
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Reply');
    assert.equal(await composer.inputValue(), '', 'the slash was not typed');

    await page.keyboard.press('Escape');
    await page.keyboard.press('?');
    const help = page.getByTestId('shortcuts-help');
    await help.waitFor();
    assert.match(await help.innerText(), /Next conversation/);
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
    await tab.context.close();
  });
});
