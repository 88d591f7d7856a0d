// The real thing, offline: the real whatsapp-web.js Client (RemoteAuth + wwebjs-mongo) launching Debian chromium
// cannot reach WhatsApp here. initialize() must fail cleanly: channel state `failed` with a clear reason, the
// client destroyed, and no chromium process left for the channel's user-data-dir. One test, generous timeout.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { Session } from '../../helpers/http.js';
import { clientPaths } from '../../../server/src/channels/whatsapp-web/client.js';
import { ChannelModel } from '../../../server/src/models/channel.js';

let srv: TestServer;
before(async () => {
  srv = await startTestServer();
});
after(() => srv.close());

function chromiumFor(userDataDir: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', userDataDir], { encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

test(
  'initialize() against real chromium offline ends failed ("Cannot reach WhatsApp") with no browser left',
  { timeout: 120_000, skip: !existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium') && 'no chromium' },
  async () => {
    const admin = new Session(srv.baseUrl);
    await admin.login(srv.admin.email, srv.admin.password);
    const id: string = (await admin.post('/api/channels', { kind: 'whatsapp-web', name: 'Offline number' })).body.id;
    const { userDataDir } = clientPaths(srv.server.config.dataDir, id);

    const r = await admin.post(`/api/channels/${id}/start`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    await srv.server.whatsappWeb.whenSettled(id);

    const ch = await ChannelModel.findById(id).lean();
    assert.equal(ch?.state, 'failed', `state ${ch?.state}: ${ch?.stateReason}`);
    assert.equal(ch?.stateReason, 'Cannot reach WhatsApp (no internet)');
    const list = await admin.get('/api/channels');
    const view = list.body.items.find((c: { id: string }) => c.id === id);
    assert.deepEqual(
      { state: view.state, stateReason: view.stateReason },
      { state: 'failed', stateReason: 'Cannot reach WhatsApp (no internet)' },
    );
    // A retry is scheduled (backoff); stopping cancels it (and would close a browser it had started).
    assert.equal((await admin.post(`/api/channels/${id}/stop`)).status, 200);
    // Browser gone (give the OS a moment to reap).
    const deadline = Date.now() + 10_000;
    while (chromiumFor(userDataDir).length && Date.now() < deadline) await new Promise((res) => setTimeout(res, 200));
    assert.deepEqual(chromiumFor(userDataDir), [], 'no chromium process left');
  },
);
