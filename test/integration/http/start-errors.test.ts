// Start-up errors are one plain line: a PORT already in use is named before anything is written to the data
// folder (the folder is not even created), and a data folder held by another Parley process names DATA_DIR.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer } from '../../helpers/server.js';

function startParley(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile('npx', ['tsx', 'server/src/index.ts'], {
      env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'silent', MONGODB_URI: '', ...env },
      timeout: 60_000,
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

test('a PORT in use is reported in one line before the data folder is touched', async () => {
  const holder = createServer();
  await new Promise<void>((r) => holder.listen(0, '127.0.0.1', () => r()));
  const port = (holder.address() as AddressInfo).port;
  const dataDir = join(mkdtempSync(join(tmpdir(), 'parley-port-')), 'data');
  try {
    const r = await startParley({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir });
    assert.equal(r.code, 1);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], new RegExp(`PORT ${port} is already in use`));
    assert.equal(existsSync(dataDir), false, 'nothing written to the data folder');
  } finally {
    holder.close();
  }
});

test('a data folder held by a running server names DATA_DIR', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-lock-'));
  const running = await startTestServer({
    env: { DATA_DIR: dataDir, EMBEDDED_DB_IN_MEMORY: '0', SESSION_SECRET: 'l'.repeat(40) },
  });
  try {
    const r = await startParley({ PORT: '0', DATA_DIR: dataDir, SESSION_SECRET: 'l'.repeat(40) });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /DATA_DIR .* is in use by another Parley process/);
  } finally {
    await running.close();
  }
});
