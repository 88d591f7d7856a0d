// Headless Debian chromium for browser tests (playwright-core; never a downloaded browser), with the flags this
// offline machine needs, and the check that the console was built first.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CLIENT_DIR = join(import.meta.dirname, '..', '..', 'dist', 'client');

/** Fails with a clear message when the built console page is missing (`npm test` builds it first). */
export function assertConsoleBuilt(page = 'index.html'): void {
  const file = join(CLIENT_DIR, page);
  assert.ok(
    existsSync(file),
    `The console is not built (${file} is missing): run \`npm run build:client\` before this test.`,
  );
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
