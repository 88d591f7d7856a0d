// With the sandbox disabled (production without SANDBOX=1) every /sandbox path is 404 — even for a signed-in admin
// — and no sandbox channel exists.
// Its own file: one server per test process (mongoose's connection is global).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer } from '../../helpers/server.js';
import { sandboxSession } from '../../helpers/sandbox.js';
import { ChannelModel } from '../../../server/src/models/channel.js';

test('with the sandbox disabled (production without SANDBOX=1) /sandbox is 404', async () => {
  const off = await startTestServer({
    env: {
      NODE_ENV: 'production',
      SESSION_SECRET: 's'.repeat(40),
      EMBEDDED_DB_IN_MEMORY: '0',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'parley-nosandbox-')),
    },
  });
  try {
    const admin = await sandboxSession(off);
    for (const path of ['/sandbox', '/sandbox/api/info', '/sandbox.html', '/sandbox/demo-ads/120000000000900001.svg']) {
      const r = await fetch(`${off.baseUrl}${path}`, { headers: { accept: 'text/html' } });
      assert.equal(r.status, 404, path);
      assert.equal((await admin.request('GET', path, undefined, { headers: { accept: 'text/html' } })).status, 404);
    }
    const r = await fetch(`${off.baseUrl}/sandbox/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(r.status, 404);
    assert.equal((await admin.post('/sandbox/api/messages', {})).status, 404);
    assert.equal(await ChannelModel.countDocuments({ kind: 'sandbox' }), 0);
  } finally {
    await off.close();
  }
});
