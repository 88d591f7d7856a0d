// whatsapp-web session lifecycle on a real NoAuth Client (browser calls stubbed) with node:test fake timers:
// reconnect with exponential backoff after a disconnect (capped, reset on ready), never after LOGOUT, a failed
// start destroys the client and ends `failed` with a clear reason, disconnects raise the alert.
import { afterEach, beforeEach, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { WwebSession, describeStartError } from '../../../server/src/channels/whatsapp-web/session.js';
import { createFakeWweb, rawMessage, type FakeWweb } from '../../fakes/wweb-client.js';

const flush = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

function harness() {
  const fakes: FakeWweb[] = [];
  const states: Array<[string, string | null]> = [];
  const alerts: string[] = [];
  const accepted: unknown[] = [];
  const qrs: string[] = [];
  const session = new WwebSession({
    channelId: 'c1',
    logger: pino({ level: 'silent' }),
    chromiumPath: '/usr/bin/chromium',
    backoff: { baseMs: 1_000, maxMs: 8_000 },
    createClient: () => {
      const f = createFakeWweb();
      fakes.push(f);
      return f.client;
    },
    accept: async (b) => void accepted.push(b),
    setState: async (s, r) => void states.push([s, r]),
    publishQr: (qr) => void qrs.push(qr),
    onDisconnected: async (r) => void alerts.push(r),
    forgetSession: async () => {},
  });
  return { session, fakes, states, alerts, accepted, qrs, last: () => fakes[fakes.length - 1] };
}

beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'setInterval'] }));
afterEach(() => mock.timers.reset());

test('reconnects with exponential backoff (1 s, 2 s, 4 s, 8 s cap) and resets after ready', async () => {
  const h = harness();
  await h.session.start();
  await h.session.whenSettled();
  assert.equal(h.fakes.length, 1);
  assert.deepEqual(h.last().calls, ['initialize']);

  const expected = [1_000, 2_000, 4_000, 8_000, 8_000];
  for (const delay of expected) {
    h.last().client.emit('disconnected', 'NAVIGATION');
    await flush();
    assert.ok(h.last().calls.includes('destroy'), 'the dead client is destroyed');
    const before: number = h.fakes.length;
    mock.timers.tick(delay - 1);
    await flush();
    assert.equal(h.fakes.length, before, `no relaunch before ${delay} ms`);
    mock.timers.tick(1);
    await flush();
    assert.equal(h.fakes.length, before + 1, `relaunched after ${delay} ms`);
  }
  assert.deepEqual(h.alerts, Array(5).fill('NAVIGATION'));
  assert.ok(h.states.some(([s, r]) => s === 'disconnected' && r === 'NAVIGATION'));

  h.last().client.emit('ready');
  await flush();
  assert.equal(h.session.liveClient(), h.last().client);
  h.last().client.emit('disconnected', 'CONFLICT');
  await flush();
  const count: number = h.fakes.length;
  mock.timers.tick(1_000);
  await flush();
  assert.equal(h.fakes.length, count + 1, 'backoff starts again at the base after a ready');
  await h.session.stop();
});

test('LOGOUT ends logged_out with an alert and no reconnect', async () => {
  const h = harness();
  await h.session.start();
  await h.session.whenSettled();
  h.last().client.emit('qr', '2@abc');
  h.last().client.emit('ready');
  await flush();
  assert.deepEqual(h.qrs, ['2@abc']);
  h.last().client.emit('disconnected', 'LOGOUT');
  await flush();
  assert.deepEqual(h.states.at(-1)?.[0], 'logged_out');
  assert.deepEqual(h.alerts, ['LOGOUT']);
  mock.timers.tick(10 * 60_000);
  await flush();
  assert.equal(h.fakes.length, 1);
  assert.equal(h.session.isActive(), false);
  assert.equal(h.session.liveClient(), null);
});

test('a failed start destroys the client, ends failed with a clear reason, and retries later', async () => {
  const h = harness();
  const original = h.session;
  let first = true;
  // The first client fails like chromium offline.
  const orig = (original as unknown as { deps: { createClient: () => unknown } }).deps.createClient;
  (original as unknown as { deps: { createClient: () => unknown } }).deps.createClient = () => {
    const c = orig() as never;
    if (first) h.last().initError = new Error('net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com/');
    first = false;
    return c;
  };
  await h.session.start();
  await h.session.whenSettled();
  assert.deepEqual(h.fakes[0].calls, ['initialize', 'destroy']);
  assert.deepEqual(h.states.at(-1), ['failed', 'Cannot reach WhatsApp (no internet)']);
  mock.timers.tick(1_000);
  await flush();
  assert.equal(h.fakes.length, 2);
  await h.session.stop();
  assert.ok(h.fakes[1].calls.includes('destroy'));
});

test('message_create + message of one message are both accepted (the intake stores it once); own and group messages are not', async () => {
  const h = harness();
  await h.session.start();
  await h.session.whenSettled();
  const f = h.last();
  const m = f.message(rawMessage());
  f.client.emit('message_create', m);
  f.client.emit('message', m);
  f.client.emit('message', f.message(rawMessage({ from: '1203630@g.us' })));
  f.client.emit(
    'message_create',
    f.message({ ...rawMessage(), id: { fromMe: true, remote: 'x@c.us', id: 'Z', _serialized: 'true_x@c.us_Z' } }),
  );
  await flush();
  assert.equal(h.accepted.length, 2);
  assert.deepEqual(
    h.accepted.map((b) => (b as { message: { id: string } }).message.id),
    [m.id._serialized, m.id._serialized],
  );
  await h.session.stop();
});

test('start errors are described for admins', () => {
  assert.equal(
    describeStartError(new Error('net::ERR_INTERNET_DISCONNECTED at https://web.whatsapp.com'), '/x'),
    'Cannot reach WhatsApp (no internet)',
  );
  assert.match(
    describeStartError(new Error('Failed to launch the browser process! spawn /nope ENOENT'), '/nope'),
    /^Cannot start Chromium \(\/nope\)/,
  );
});
