// The per-number lease: two session managers (as two server processes would) on one database. Only one runs a
// number; the second waits and takes over once the first's lease expires; the first, finding its lease lost,
// closes its client. A clean stop releases the lease for an immediate takeover.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { Session } from '../../helpers/http.js';
import { createFakeWweb, type FakeWweb } from '../../fakes/wweb-client.js';
import { WhatsappWebManager } from '../../../server/src/channels/whatsapp-web/manager.js';
import { WwebLease } from '../../../server/src/channels/whatsapp-web/lease.js';

let srv: TestServer;
let channelId: string;
before(async () => {
  srv = await startTestServer();
  const admin = new Session(srv.baseUrl);
  await admin.login(srv.admin.email, srv.admin.password);
  channelId = (await admin.post('/api/channels', { kind: 'whatsapp-web', name: 'Shared number' })).body.id;
});
after(() => srv.close());

function manager(name: string, opts: { leaseTtlMs: number; renewMs: number }) {
  const fakes: FakeWweb[] = [];
  const m = new WhatsappWebManager({
    dataDir: '/nonexistent',
    chromiumPath: '/usr/bin/chromium',
    logger: pino({ level: 'silent' }),
    bus: srv.server.bus,
    accept: async () => {},
    ownerId: name,
    ...opts,
    clientFactory: () => {
      const f = createFakeWweb();
      fakes.push(f);
      return f.client;
    },
  });
  return { m, fakes };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a second process waits, takes over after the lease expires, and the first stops its client', async () => {
  // A never renews (as if frozen or crashed); B polls often.
  const a = manager('proc-A', { leaseTtlMs: 1_500, renewMs: 60_000 });
  const b = manager('proc-B', { leaseTtlMs: 1_500, renewMs: 50 });
  try {
    assert.equal(await a.m.start(channelId), 'started');
    assert.equal(await b.m.start(channelId), 'waiting');
    assert.equal(await WwebLease.ownerOf(channelId), 'proc-A');
    assert.equal(b.fakes.length, 0, 'B launches nothing while A holds the lease');
    await sleep(100);
    assert.equal(b.fakes.length, 0, 'still waiting while the lease is valid');

    const deadline = Date.now() + 5_000;
    while (!b.m.isRunning(channelId) && Date.now() < deadline) await sleep(25);
    assert.ok(b.m.isRunning(channelId), 'B took over');
    await b.m.whenSettled(channelId);
    assert.equal(b.fakes.length, 1);
    assert.equal(await WwebLease.ownerOf(channelId), 'proc-B');

    // A wakes up: its renewal fails, it closes its client and waits in turn.
    await a.m.renewAll();
    assert.equal(a.m.isRunning(channelId), false);
    assert.ok(a.fakes[0].calls.includes('destroy'));
    assert.ok(a.m.isWaiting(channelId));
  } finally {
    await a.m.stopAll();
    await b.m.stopAll();
  }
});

test('a clean stop releases the lease: the other process takes over at its next poll', async () => {
  const a = manager('proc-C', { leaseTtlMs: 60_000, renewMs: 50 });
  const b = manager('proc-D', { leaseTtlMs: 60_000, renewMs: 50 });
  try {
    assert.equal(await a.m.start(channelId), 'started');
    assert.equal(await b.m.start(channelId), 'waiting');
    await a.m.stopAll();
    const deadline = Date.now() + 3_000;
    while (!b.m.isRunning(channelId) && Date.now() < deadline) await sleep(25);
    assert.ok(b.m.isRunning(channelId));
    assert.equal(await WwebLease.ownerOf(channelId), 'proc-D');
  } finally {
    await a.m.stopAll();
    await b.m.stopAll();
  }
});
