// Conversions API outbox against fake Graph servers: LeadSubmitted on an attributed first chat (WhatsApp ctwa_clid,
// Messenger page id + PSID), QualifiedLead and Purchase on those stages, deterministic event_id and no double
// send (same stage again, and across a restart), nothing for organic chats, skipped when ad_measurement is
// withdrawn or (CAPI_REQUIRE_CONSENT) not granted; 5xx retried with backoff, Retry-After honoured, other 4xx
// dead-lettered and listed for admins only. Must never call the real Graph API.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { Session } from '../../helpers/http.js';
import { CHANNEL_ENV, cloudText, postWebhook, samplePayload, settle } from '../../helpers/webhooks.js';
import { FakeGraphServer } from '../../fakes/graph-server.js';
import { MessageModel } from '../../../server/src/models/message.js';
import { CapiEventModel } from '../../../server/src/models/capi-event.js';
import { recordConsent } from '../../../server/src/policy/consent.js';
import { CapiOutbox } from '../../../server/src/attribution/capi.js';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(check: () => boolean | Promise<boolean>, ms = 5000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await pause(20);
  }
}
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const convOf = async (providerMessageId: string) =>
  String((await MessageModel.findOne({ providerMessageId }).lean())!.conversationId);
function speedUp(srv: TestServer) {
  Object.assign(srv.server.attribution.capi.options, { baseDelayMs: 40, pollMs: 25, maxAttempts: 4 });
}

describe('Conversions API against the fake Graph server', () => {
  const graph = new FakeGraphServer();
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-capi-'));
  let env: Record<string, string>;
  let srv: TestServer;
  let admin: Session;
  const events = () => graph.requests.filter((r) => r.path.endsWith('/events'));
  before(async () => {
    await graph.start();
    env = {
      ...CHANNEL_ENV,
      WHATSAPP_BUSINESS_ACCOUNT_ID: '102290129340398',
      GRAPH_API_BASE_URL: graph.baseUrl,
      CAPI_DATASET_ID: 'DS123',
      CAPI_ACCESS_TOKEN: 'capi-token',
      CAPI_REQUIRE_CONSENT: 'false',
      DATA_DIR: dataDir,
      EMBEDDED_DB_IN_MEMORY: '0',
      MONGODB_DB: `parley_capi_${Date.now()}`,
      SESSION_SECRET: 'c'.repeat(40),
    };
    srv = await startTestServer({ env });
    speedUp(srv);
    admin = new Session(srv.baseUrl);
    await admin.login(srv.admin.email, srv.admin.password);
  });
  after(async () => {
    await srv.close();
    await graph.stop();
  });

  test('LeadSubmitted, QualifiedLead, Purchase with deterministic event ids, once each, none for organic', async () => {
    await postWebhook(srv, 'whatsapp', samplePayload('wa-cloud-text-from-ad.json'));
    await settle(srv);
    const conversationId = await convOf('wamid.SAMPLE0001');
    await until(() => events().length === 1);
    const req = events()[0];
    assert.equal(req.path, '/v23.0/DS123/events');
    assert.equal(req.headers.authorization, 'Bearer capi-token');
    const ev = req.json.data[0];
    assert.equal(ev.event_name, 'LeadSubmitted');
    assert.equal(ev.event_id, sha(`${conversationId}:LeadSubmitted`));
    assert.equal(ev.action_source, 'business_messaging');
    assert.equal(ev.messaging_channel, 'whatsapp');
    assert.equal(ev.user_data.ctwa_clid, 'ARAkSAMPLEclid0001');
    // The channel's WhatsApp Business Account id goes with every WhatsApp event.
    assert.equal(ev.user_data.whatsapp_business_account_id, '102290129340398');

    await postWebhook(srv, 'whatsapp', cloudText({ id: 'wamid.ORG', from: '34600000077', text: 'organic hello' }));
    await settle(srv);
    const organic = await convOf('wamid.ORG');
    assert.equal(
      (await admin.post(`/api/conversations/${organic}/lead`, { stage: 'converted', value: 100, currency: 'EUR' }))
        .status,
      200,
    );

    assert.equal((await admin.post(`/api/conversations/${conversationId}/lead`, { stage: 'qualified' })).status, 200);
    assert.equal(
      (
        await admin.post(`/api/conversations/${conversationId}/lead`, {
          stage: 'converted',
          value: 4999,
          currency: 'EUR',
        })
      ).status,
      200,
    );
    assert.equal(
      (
        await admin.post(`/api/conversations/${conversationId}/lead`, {
          stage: 'converted',
          value: 5999,
          currency: 'EUR',
        })
      ).status,
      200,
    );
    await until(() => events().length >= 3);
    await pause(200);
    const names = events().map((r) => r.json.data[0].event_name);
    assert.deepEqual(names, ['LeadSubmitted', 'QualifiedLead', 'Purchase'], 'no event for organic, no second Purchase');
    const purchase = events()[2].json.data[0];
    assert.deepEqual(purchase.custom_data, { currency: 'EUR', value: 49.99 });
    assert.equal(purchase.event_id, sha(`${conversationId}:Purchase`));
  });

  test('Messenger: page id + PSID; withdrawn ad_measurement or (required) missing consent → skipped', async () => {
    const before = events().length;
    await postWebhook(srv, 'messenger', samplePayload('messenger-ad-referral.json'));
    await settle(srv);
    await until(() => events().length === before + 1);
    const ev = events().at(-1)!.json.data[0];
    assert.equal(ev.messaging_channel, 'messenger');
    assert.deepEqual(ev.user_data, { page_id: '200000000000001', page_scoped_user_id: '7000000000000001' });

    // Withdrawn before the chat: the first message creates the contact, so withdraw then qualify.
    const ref = { source_id: '120000000000000009', source_type: 'ad', ctwa_clid: 'clid-withdrawn' };
    await srv.server.attribution.capi.stop();
    await postWebhook(srv, 'whatsapp', cloudText({ id: 'wamid.WD', from: '34600000088', text: 'hi', referral: ref }));
    await settle(srv);
    const withdrawn = await convOf('wamid.WD');
    const contactId = String((await MessageModel.findOne({ providerMessageId: 'wamid.WD' }).lean())!.contactId);
    await recordConsent({
      contactId,
      purpose: 'ad_measurement',
      action: 'withdrawn',
      method: 'agent',
      actor: { type: 'system' },
      note: 'test',
    });
    srv.server.config.CAPI_REQUIRE_CONSENT = true;
    await postWebhook(
      srv,
      'whatsapp',
      cloudText({ id: 'wamid.NC', from: '34600000089', text: 'hi', referral: { ...ref, ctwa_clid: 'clid-unknown' } }),
    );
    await settle(srv);
    await srv.server.attribution.capi.start();
    await until(async () => (await CapiEventModel.countDocuments({ state: 'skipped' })) === 2);
    assert.equal(events().length, before + 1, 'nothing sent for withdrawn or unknown consent');
    const skipped = await CapiEventModel.findOne({ conversationId: withdrawn }).lean();
    assert.equal(skipped!.state, 'skipped');
    srv.server.config.CAPI_REQUIRE_CONSENT = false;
  });

  test('no double send across a restart; the outbox is listed for admins', async () => {
    const sentBefore = events().length;
    const sentDocs = await CapiEventModel.countDocuments({ state: 'sent' });
    await srv.close();
    srv = await startTestServer({ env });
    speedUp(srv);
    admin = new Session(srv.baseUrl);
    await admin.login(srv.admin.email, srv.admin.password);
    await pause(400);
    assert.equal(events().length, sentBefore, 'nothing re-sent after a restart');
    const list = await admin.get('/api/capi/outbox?state=sent');
    assert.equal(list.status, 200);
    assert.equal(list.body.enabled, true);
    assert.equal(list.body.items.length, sentDocs);
    assert.ok(!JSON.stringify(list.body).includes('ARAkSAMPLEclid0001'), 'no click id in the admin view');
  });
});

/** A scripted Conversions API endpoint: replies in order, then 200. */
class ScriptedCapi {
  readonly hits: Array<{ at: number; body: any }> = [];
  script: Array<{ status: number; headers?: Record<string, string> }> = [];
  private server?: Server;
  baseUrl = '';
  async start() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.hits.push({ at: Date.now(), body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        const next = this.script.shift() ?? { status: 200 };
        res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
        res.end(
          JSON.stringify(
            next.status < 300
              ? { events_received: 1 }
              : { error: { message: 'scripted', code: next.status === 400 ? 100 : 2 } },
          ),
        );
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.baseUrl = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }
  stop() {
    return new Promise<void>((r) => this.server!.close(() => r()));
  }
}

describe('Conversions API retries and dead letters', () => {
  const capi = new ScriptedCapi();
  let srv: TestServer;
  let admin: Session;
  let n = 0;
  before(async () => {
    await capi.start();
    srv = await startTestServer({
      env: {
        ...CHANNEL_ENV,
        GRAPH_API_BASE_URL: capi.baseUrl,
        CAPI_DATASET_ID: 'DS9',
        CAPI_ACCESS_TOKEN: 't',
        CAPI_REQUIRE_CONSENT: 'false',
      },
    });
    speedUp(srv);
    admin = new Session(srv.baseUrl);
    await admin.login(srv.admin.email, srv.admin.password);
  });
  after(async () => {
    await srv.close();
    await capi.stop();
  });
  async function adChat() {
    n += 1;
    await postWebhook(
      srv,
      'whatsapp',
      cloudText({
        id: `wamid.R${n}`,
        from: `3460000010${n}`,
        text: 'hi',
        referral: { source_id: '1300', source_type: 'ad', ctwa_clid: `clid-${n}` },
      }),
    );
    await settle(srv);
    return convOf(`wamid.R${n}`);
  }

  test('5xx twice then success: retried with exponential backoff, sent once', async () => {
    capi.hits.length = 0;
    capi.script = [{ status: 500 }, { status: 503 }];
    const conversationId = await adChat();
    await until(async () => (await CapiEventModel.findOne({ conversationId }).lean())?.state === 'sent');
    assert.equal(capi.hits.length, 3);
    const gap1 = capi.hits[1].at - capi.hits[0].at;
    const gap2 = capi.hits[2].at - capi.hits[1].at;
    assert.ok(gap1 >= 35 && gap2 >= 75, `backoff grows: ${gap1}ms then ${gap2}ms`);
    assert.equal(new Set(capi.hits.map((h) => h.body.data[0].event_id)).size, 1, 'same event_id on every attempt');
  });

  test('429 with Retry-After: the next attempt waits that long', async () => {
    capi.hits.length = 0;
    capi.script = [{ status: 429, headers: { 'retry-after': '1' } }];
    const conversationId = await adChat();
    await until(async () => (await CapiEventModel.findOne({ conversationId }).lean())?.state === 'sent', 5000);
    assert.equal(capi.hits.length, 2);
    assert.ok(capi.hits[1].at - capi.hits[0].at >= 950, 'Retry-After honoured');
  });

  test('two workers (two processes) draining the same outbox send each event once', async () => {
    const main = srv.server.attribution.capi;
    await main.stop();
    try {
      capi.hits.length = 0;
      const ids = [await adChat(), await adChat(), await adChat(), await adChat()];
      assert.equal(await CapiEventModel.countDocuments({ conversationId: { $in: ids }, state: 'pending' }), 4);
      const a = new CapiOutbox({ config: srv.server.config, logger: srv.server.logger }, main.options);
      const b = new CapiOutbox({ config: srv.server.config, logger: srv.server.logger }, main.options);
      await Promise.all([a.drain(), b.drain(), a.drain(), b.drain()]);
      assert.equal(capi.hits.length, 4, 'one request per event');
      assert.equal(new Set(capi.hits.map((h) => h.body.data[0].event_id)).size, 4);
      assert.equal(await CapiEventModel.countDocuments({ conversationId: { $in: ids }, state: 'sent' }), 4);
    } finally {
      await main.start();
    }
  });

  test('a 4xx is dead at once; repeated 5xx go dead after the last attempt; admins list and retry, agents cannot', async () => {
    capi.hits.length = 0;
    capi.script = [{ status: 400 }];
    const dead1 = await adChat();
    await until(async () => (await CapiEventModel.findOne({ conversationId: dead1 }).lean())?.state === 'dead');
    assert.equal(capi.hits.length, 1);
    capi.script = [{ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }];
    const dead2 = await adChat();
    await until(async () => (await CapiEventModel.findOne({ conversationId: dead2 }).lean())?.state === 'dead', 5000);
    assert.equal(capi.hits.length, 5, '1 + 4 attempts');
    const list = await admin.get('/api/capi/outbox?state=dead');
    assert.equal(list.status, 200);
    assert.equal(list.body.items.length, 2);
    assert.match(list.body.items[0].lastError, /HTTP (400|500)/);
    await admin.post('/api/users', {
      email: 'ag@parley.test',
      name: 'Ag',
      role: 'agent',
      password: 'agent-password-42',
    });
    const agent = new Session(srv.baseUrl);
    await agent.login('ag@parley.test', 'agent-password-42');
    assert.equal((await agent.get('/api/capi/outbox?state=dead')).status, 403);
    const retry = await admin.post(`/api/capi/outbox/${list.body.items[0].id}/retry`);
    assert.equal(retry.status, 200);
    await until(async () => (await admin.get('/api/capi/outbox?state=dead')).body.items.length === 1);
  });
});
