// Shared steps for integration tests: a server with the env WhatsApp Cloud and
// Messenger channels pointed at the fake Graph API, customers writing in, staff sessions, a waiter.
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from './server.js';
import { Session } from './http.js';
import { CHANNEL_ENV, MS, cloudText, postWebhook, settle } from './webhooks.js';
import { FakeGraphServer } from '../fakes/graph-server.js';
import { MessageModel } from '../../server/src/models/message.js';

export interface World {
  srv: TestServer;
  graph: FakeGraphServer;
  admin: Session;
  close(): Promise<void>;
}

export async function startWorld(env: Record<string, string> = {}): Promise<World> {
  const graph = new FakeGraphServer();
  await graph.start();
  const srv = await startTestServer({
    env: { ...CHANNEL_ENV, GRAPH_API_BASE_URL: graph.baseUrl, OUTBOX_RETRY_BASE_MS: '20', ...env },
  });
  const admin = new Session(srv.baseUrl);
  assert.equal((await admin.login(srv.admin.email, srv.admin.password)).status, 200);
  return {
    srv,
    graph,
    admin,
    async close() {
      await srv.close();
      await graph.stop();
    },
  };
}

let seq = 0;

/** A WhatsApp customer writes; resolves with the conversation and contact ids. */
export async function waCustomerWrites(
  w: World,
  waId: string,
  text = 'Hola',
  name = 'Lucía Customer',
): Promise<{ conversationId: string; contactId: string }> {
  const id = `wamid.CP${++seq}${Date.now()}`;
  const r = await postWebhook(w.srv, 'whatsapp', cloudText({ waId, id, text, name }));
  assert.equal(r.status, 200);
  const m = await waitFor(() => MessageModel.findOne({ providerMessageId: id }).lean(), 'inbound message');
  return { conversationId: String(m.conversationId), contactId: String(m.contactId) };
}

/** A Messenger customer writes (page-scoped PSID). */
export async function msCustomerWrites(
  w: World,
  psid: string,
  text = 'Do you ship to Lisbon?',
): Promise<{ conversationId: string; contactId: string }> {
  const mid = `m_CP${++seq}${Date.now()}`;
  const body = {
    object: 'page',
    entry: [
      {
        id: MS.pageId,
        time: Date.now(),
        messaging: [
          { sender: { id: psid }, recipient: { id: MS.pageId }, timestamp: Date.now(), message: { mid, text } },
        ],
      },
    ],
  };
  const r = await postWebhook(w.srv, 'messenger', body);
  assert.equal(r.status, 200);
  await settle(w.srv);
  const m = await waitFor(() => MessageModel.findOne({ providerMessageId: mid }).lean(), 'messenger message');
  return { conversationId: String(m.conversationId), contactId: String(m.contactId) };
}

export async function waitFor<T>(fn: () => Promise<T | null | undefined | false>, what: string, ms = 4000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((res) => setTimeout(res, 20));
  }
}

/** Creates a staff user and returns a logged-in session. */
export async function staff(
  w: World,
  role: 'agent' | 'supervisor' | 'marketer' | 'admin',
  channelIds: string[] = [],
): Promise<{ session: Session; id: string; email: string }> {
  const email = `${role}${++seq}@parley.test`;
  const password = 'long-enough-password';
  const r = await w.admin.post('/api/users', { email, name: `${role} ${seq}`, role, password, channelIds });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const session = new Session(w.srv.baseUrl);
  assert.equal((await session.login(email, password)).status, 200);
  return { session, id: r.body.id, email };
}

export async function channelIds(w: World): Promise<string[]> {
  const r = await w.admin.get('/api/channels');
  return r.body.items.map((c: { id: string }) => c.id);
}
