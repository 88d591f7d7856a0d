// Socket.IO over the real server: refused without a session; events reach only the rooms allowed to see them;
// logout and deactivation end sockets; role changes re-room live sockets.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { Session, collect, nextEvent } from '../../helpers/http.js';
import type { Conversation } from '../../../shared/src/index.js';
import type { DomainEvents } from '../../../server/src/events/bus.js';

let srv: TestServer;
let admin: Session;
before(async () => {
  srv = await startTestServer();
  admin = new Session(srv.baseUrl);
  await admin.login(srv.admin.email, srv.admin.password);
});
after(() => srv.close());

async function userSession(
  email: string,
  role: string,
  channelIds: string[] = [],
): Promise<{ s: Session; id: string }> {
  const r = await admin.post('/api/users', { email, name: email, role, password: 'a-good-password', channelIds });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const s = new Session(srv.baseUrl);
  assert.equal((await s.login(email, 'a-good-password')).status, 200);
  return { s, id: r.body.id };
}

/** A conversation.updated fact with everything the listener renders from (no reads needed). */
const conversation = (id: string, channel: string): DomainEvents['conversation.updated'] => ({
  channelId: channel,
  conversationId: id,
  conversation: {
    id,
    channelId: channel,
    contactId: 'k1',
    status: 'open',
    assigneeId: null,
    lastMessageAt: null,
    lastInboundAt: null,
    windowExpiresAt: null,
    lastMessagePreview: null,
    labelIds: [],
    snoozedUntil: null,
    unreadCount: 0,
    attribution: null,
    lead: null,
  },
  contact: { id: 'k1', handle: 'Blue Fox 12', displayName: null, phone: '+34612345645', erasedAt: null },
  consent: { marketing: 'unknown', adMeasurement: 'unknown' },
  actor: { kind: 'system', id: 'test' },
});

test('a socket without a session is refused with unauthorized', async () => {
  await assert.rejects(new Session(srv.baseUrl).socket(), /unauthorized/);
  const bogus = new Session(srv.baseUrl);
  bogus.cookie = 'parley.sid=s%3Aforged.signature';
  await assert.rejects(bogus.socket(), /unauthorized/);
});

test('conversation events reach only sockets allowed to see that channel', async () => {
  const a1 = await userSession('agent-c1@parley.test', 'agent', ['c1']);
  const a2 = await userSession('agent-c2@parley.test', 'agent', ['c2']);
  const sup = await userSession('sup@parley.test', 'supervisor');
  const mk = await userSession('mk@parley.test', 'marketer', ['c1']);
  const [s1, s2, ss, sm] = await Promise.all([a1.s.socket(), a2.s.socket(), sup.s.socket(), mk.s.socket()]);
  const got2 = collect(s2, 'conversation:updated');
  const gotM = collect(sm, 'conversation:updated');
  const p1 = nextEvent<{ conversation: Conversation }>(s1, 'conversation:updated');
  const pS = nextEvent<{ conversation: Conversation }>(ss, 'conversation:updated');
  // Let the server finish joining rooms before publishing.
  await new Promise((r) => setTimeout(r, 50));
  srv.server.bus.publish('conversation.updated', conversation('conv1', 'c1'));
  assert.equal((await p1).conversation.id, 'conv1');
  assert.equal((await pS).conversation.id, 'conv1');
  await new Promise((r) => setTimeout(r, 150));
  assert.deepEqual(got2, [], 'agent of another channel got nothing');
  assert.deepEqual(gotM, [], 'marketer got nothing');
  // Channel QR events go to channel admins only.
  const adminSock = await admin.socket();
  const qrAgent = collect(s1, 'channel:qr');
  const qr = nextEvent<{ qr: string }>(adminSock, 'channel:qr');
  await new Promise((r) => setTimeout(r, 50));
  srv.server.bus.publish('channel.qr', { channelId: 'c1', qr: 'QR-DATA' });
  assert.equal((await qr).qr, 'QR-DATA');
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(qrAgent, []);
  for (const s of [s1, s2, ss, sm, adminSock]) s.close();
});

test('a channel membership change re-rooms the live socket', async () => {
  const a = await userSession('mover@parley.test', 'agent', ['c1']);
  const sock = await a.s.socket();
  await new Promise((r) => setTimeout(r, 50));
  const got = collect<{ conversation: Conversation }>(sock, 'conversation:updated');
  await admin.patch(`/api/users/${a.id}`, { channelIds: ['c2'] });
  await new Promise((r) => setTimeout(r, 100));
  srv.server.bus.publish('conversation.updated', conversation('old', 'c1'));
  srv.server.bus.publish('conversation.updated', conversation('new', 'c2'));
  await new Promise((r) => setTimeout(r, 150));
  assert.deepEqual(
    got.map((g) => g.conversation.id),
    ['new'],
  );
  // Promoted to supervisor: told so (the session goes on) and now sees every channel.
  const told = nextEvent<{ reason: string }>(sock, 'session:ended');
  await admin.patch(`/api/users/${a.id}`, { role: 'supervisor' });
  assert.equal((await told).reason, 'role_changed');
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(sock.connected, true);
  srv.server.bus.publish('conversation.updated', conversation('any', 'c7'));
  await new Promise((r) => setTimeout(r, 150));
  assert.deepEqual(
    got.map((g) => g.conversation.id),
    ['new', 'any'],
  );
  sock.close();
});

test('logout and deactivation end the user’s sockets with session:ended', async () => {
  const a = await userSession('leaver@parley.test', 'agent', ['c1']);
  const sock = await a.s.socket();
  const ended = nextEvent<{ reason: string }>(sock, 'session:ended');
  const gone = nextEvent<string>(sock, 'disconnect');
  await a.s.post('/api/auth/logout');
  assert.equal((await ended).reason, 'logout');
  await gone;

  const b = await userSession('fired@parley.test', 'agent', ['c1']);
  const sockB = await b.s.socket();
  const endedB = nextEvent<{ reason: string }>(sockB, 'session:ended');
  await admin.patch(`/api/users/${b.id}`, { active: false });
  assert.equal((await endedB).reason, 'deactivated');
  await assert.rejects(b.s.socket(), /unauthorized/);
});

test('a password change ends the user’s live sockets; the old cookie no longer connects', async () => {
  const a = await userSession('rotated@parley.test', 'agent', ['c1']);
  const sock = await a.s.socket();
  const ended = nextEvent<{ reason: string }>(sock, 'session:ended');
  const gone = nextEvent<string>(sock, 'disconnect');
  assert.equal((await admin.patch(`/api/users/${a.id}`, { password: 'a-brand-new-password' })).status, 200);
  assert.equal((await ended).reason, 'password_changed');
  await gone;
  assert.equal(sock.connected, false);
  await assert.rejects(a.s.socket(), /unauthorized/);
  // The admin's own sockets are untouched by someone else's password change.
  const mine = await admin.socket();
  assert.equal(mine.connected, true);
  mine.close();
});

test('a handshake from a foreign Origin is refused, over WebSocket and polling, even with a valid session', async () => {
  const own = new URL(srv.baseUrl).origin;
  const ok = await admin.socket({ headers: { origin: own } });
  assert.equal(ok.connected, true);
  ok.close();
  // No Origin (a non-browser client): the session decides.
  const plain = await admin.socket();
  plain.close();
  for (const origin of [
    'http://evil.example',
    'http://sibling.parley.test', // a sibling subdomain gets the Lax cookie, but not the socket
    `${own}.evil.example`,
    'null',
  ]) {
    for (const transport of ['websocket', 'polling'] as const) {
      await assert.rejects(
        admin.socket({ transports: [transport], headers: { origin } }),
        (err: Error) => err.message !== 'unauthorized',
        `${origin} over ${transport} must be refused before the session is looked at`,
      );
    }
  }
  // Refused at the HTTP level too: the engine.io handshake answers 403 for a foreign origin.
  const res = await fetch(`${srv.baseUrl}/socket.io/?EIO=4&transport=polling`, {
    headers: { origin: 'http://evil.example', cookie: admin.cookie ?? '' },
  });
  assert.equal(res.status, 403);
  const allowed = await fetch(`${srv.baseUrl}/socket.io/?EIO=4&transport=polling`, {
    headers: { origin: own, cookie: admin.cookie ?? '' },
  });
  assert.equal(allowed.status, 200);
  // The console's CSP lets it connect only to its own origin (no ws:/wss: to anywhere).
  const csp = (await fetch(`${srv.baseUrl}/api/auth/me`)).headers.get('content-security-policy') ?? '';
  assert.match(csp, /connect-src 'self'(;|$)/);
});
