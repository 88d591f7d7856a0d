// Template lifecycle over real, signed webhooks: a utility template WhatsApp re-categorises as marketing needs
// consent from the very next send; a paused (or rejected) template is refused by the guard with
// `template_unavailable` and the provider's reason, even with consent, and is sendable again once approved; the
// admin list shows the provider status; malformed template webhooks → 400 naming the field, unsigned → 401, nothing
// stored; a webhook for a template Parley does not have changes nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestServer } from '../../helpers/server.js';
import { startWorld, waCustomerWrites, type World } from '../../helpers/world.js';
import { postWebhook, samplePayload, settle } from '../../helpers/webhooks.js';
import { MessageTemplateModel } from '../../../server/src/models/message-template.js';
import { WebhookEventModel } from '../../../server/src/models/webhook-event.js';
import { AuditEntryModel } from '../../../server/src/models/audit-entry.js';
import { recordConsent } from '../../../server/src/policy/consent.js';

let world: World;
let srv: TestServer;
let conversationId: string;
let contactId: string;
before(async () => {
  world = await startWorld();
  srv = world.srv;
  for (const t of [
    { name: 'order_update', language: 'es', category: 'utility', body: 'Tu pedido {{1}} está en camino.' },
    { name: 'spring_offer', language: 'es', category: 'marketing', body: 'Hola {{1}}, ¡20% en toda la tienda!' },
  ]) {
    const r = await world.admin.post('/api/templates', { ...t, approved: true });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  ({ conversationId, contactId } = await waCustomerWrites(world, '34633000001', 'Hola'));
});
after(() => world.close());

const sendTemplate = (name: string) =>
  world.admin.post(`/api/conversations/${conversationId}/messages`, {
    template: { name, language: 'es', params: ['A-1'] },
  });
const post = async (body: string | object) => {
  const r = await postWebhook(srv, 'whatsapp', body);
  await settle(srv);
  return r;
};

test('a utility template re-categorised as marketing needs consent from the next send on', async () => {
  assert.equal((await sendTemplate('order_update')).status, 201, 'utility: no consent needed');
  assert.equal((await post(samplePayload('wa-cloud-template-category-marketing.json'))).status, 200);
  const t = await MessageTemplateModel.findOne({ name: 'order_update' }).lean();
  assert.equal(t!.category, 'marketing');
  assert.equal(t!.providerTemplateId, '1285614406228412');
  const r = await sendTemplate('order_update');
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'consent_required');
  assert.equal(
    await AuditEntryModel.countDocuments({ action: 'template.provider_changed', 'target.id': String(t!._id) }),
    1,
  );
});

test('a paused template is refused with template_unavailable (and the reason) even with consent; approved again → sendable', async () => {
  await recordConsent({
    contactId,
    purpose: 'marketing',
    action: 'granted',
    method: 'agent',
    actor: { type: 'system' },
  });
  assert.equal((await sendTemplate('spring_offer')).status, 201);
  assert.equal((await post(samplePayload('wa-cloud-template-status-paused.json'))).status, 200);
  const r = await sendTemplate('spring_offer');
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'template_unavailable');
  assert.match(r.body.error.message, /paused/);
  assert.match(r.body.error.message, /low quality ratings/);
  const list = await world.admin.get('/api/templates');
  const shown = list.body.items.find((t: { name: string }) => t.name === 'spring_offer');
  assert.equal(shown.providerStatus, 'paused');

  const rejected = JSON.parse(samplePayload('wa-cloud-template-status-paused.json'));
  Object.assign(rejected.entry[0].changes[0].value, { event: 'REJECTED', reason: 'INVALID_FORMAT' });
  await post(rejected);
  assert.equal((await sendTemplate('spring_offer')).body.error.code, 'template_unavailable');

  const approved = JSON.parse(samplePayload('wa-cloud-template-status-paused.json'));
  Object.assign(approved.entry[0].changes[0].value, { event: 'APPROVED', reason: 'NONE' });
  await post(approved);
  assert.equal((await sendTemplate('spring_offer')).status, 201);
});

test('malformed template webhooks → 400 naming the field, unsigned → 401, nothing stored; unknown templates ignored', async () => {
  const before = await WebhookEventModel.countDocuments();
  const bad = JSON.parse(samplePayload('wa-cloud-template-status-paused.json'));
  delete bad.entry[0].changes[0].value.message_template_name;
  const r = await postWebhook(srv, 'whatsapp', bad);
  assert.equal(r.status, 400);
  assert.match(JSON.stringify(r.body), /message_template_name/);
  const badCategory = JSON.parse(samplePayload('wa-cloud-template-category-marketing.json'));
  badCategory.entry[0].changes[0].value.message_template_language = '';
  assert.equal((await postWebhook(srv, 'whatsapp', badCategory)).status, 400);
  const unsigned = await postWebhook(srv, 'whatsapp', samplePayload('wa-cloud-template-status-paused.json'), {
    secret: null,
  });
  assert.equal(unsigned.status, 401);
  assert.equal(await WebhookEventModel.countDocuments(), before);

  const unknown = JSON.parse(samplePayload('wa-cloud-template-status-paused.json'));
  Object.assign(unknown.entry[0].changes[0].value, { message_template_name: 'never_heard_of', message_template_id: 9 });
  const count = await MessageTemplateModel.countDocuments();
  assert.equal((await post(unknown)).status, 200);
  assert.equal(await MessageTemplateModel.countDocuments(), count);
  assert.equal(await MessageTemplateModel.countDocuments({ providerStatus: 'paused' }), 0);
});
