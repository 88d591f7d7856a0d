// Display numbers of WhatsApp channels: a channel configured from the environment without
// WHATSAPP_DISPLAY_PHONE_NUMBER has no number, so a tracked link for it is refused (422 channel_number_unknown,
// saying why, nothing created) while Messenger links need none; the first webhook's metadata.display_phone_number
// teaches the channel its number and links then open wa.me/<that number> (never wa.me/<phone_number_id>); the
// variable, when set, gives the number at start.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { Session } from '../../helpers/http.js';
import { CHANNEL_ENV, MS, WA, cloudText, postWebhook, settle } from '../../helpers/webhooks.js';
import { ChannelModel } from '../../../server/src/models/channel.js';
import { TrackedLinkModel } from '../../../server/src/models/tracked-link.js';

let srv: TestServer;
let admin: Session;
let waChannelId: string;
before(async () => {
  srv = await startTestServer({ env: { ...CHANNEL_ENV, WHATSAPP_DISPLAY_PHONE_NUMBER: '' } });
  admin = new Session(srv.baseUrl);
  await admin.login(srv.admin.email, srv.admin.password);
  waChannelId = String((await ChannelModel.findOne({ externalId: WA.phoneNumberId }).lean())!._id);
});
after(() => srv.close());

test('no known number → 422 channel_number_unknown saying why, nothing created; Messenger needs none', async () => {
  assert.equal((await ChannelModel.findById(waChannelId).lean())!.displayNumber, null);
  const r = await admin.post('/api/links', { name: 'Spring', channelId: waChannelId });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'channel_number_unknown');
  assert.match(r.body.error.message, /WHATSAPP_DISPLAY_PHONE_NUMBER/);
  assert.equal(await TrackedLinkModel.countDocuments({ channelId: waChannelId }), 0);
  const ms = await ChannelModel.findOne({ externalId: MS.pageId }).lean();
  assert.equal((await admin.post('/api/links', { name: 'Page', channelId: String(ms!._id) })).status, 201);
});

test('the webhook metadata teaches the channel its number; links then open wa.me/<display number>', async () => {
  assert.equal(
    (await postWebhook(srv, 'whatsapp', cloudText({ id: 'wamid.NUM1', from: '34600990001', text: 'hola' }))).status,
    200,
  );
  await settle(srv);
  assert.equal((await ChannelModel.findById(waChannelId).lean())!.displayNumber, '+34910000001');
  const link = await admin.post('/api/links', { name: 'Spring', channelId: waChannelId });
  assert.equal(link.status, 201, JSON.stringify(link.body));
  const go = await fetch(`${srv.baseUrl}/c/${link.body.slug}`, { redirect: 'manual' });
  const target = new URL(go.headers.get('location')!);
  assert.equal(target.host, 'wa.me');
  assert.equal(target.pathname, '/34910000001');
  assert.ok(!go.headers.get('location')!.includes(WA.phoneNumberId));
});

test('WHATSAPP_DISPLAY_PHONE_NUMBER gives the env channel its number at start', async () => {
  const { bootstrapChannels } = await import('../../../server/src/channels/bootstrap.js');
  // What a restart with the variable set does to the env channel.
  await bootstrapChannels(
    { ...srv.server.config, WHATSAPP_DISPLAY_PHONE_NUMBER: '+34 910 000 777' },
    srv.server.logger,
  );
  assert.equal((await ChannelModel.findById(waChannelId).lean())!.displayNumber, '+34 910 000 777');
});
