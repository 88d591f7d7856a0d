// Template lifecycle webhooks → lifecycle events: status words mapped (NONE reasons dropped), completed category
// changes, impending ones only when they make a template marketing, unknown events ignored, bad values refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cloudTemplateEvents, templateEventsOf } from '../../../server/src/channels/whatsapp-cloud/templates.js';
import { parseCloudEnvelope, splitCloudByRoutingKey } from '../../../server/src/channels/whatsapp-cloud/normalize.js';
import { samplePayload } from '../../helpers/webhooks.js';

const WABA = '102290129340398';
const base = { message_template_id: 77, message_template_name: 'promo', message_template_language: 'en_US' };

test('the paused sample → status paused with the reason and the category; no routing key (account level)', () => {
  const body = JSON.parse(samplePayload('wa-cloud-template-status-paused.json'));
  assert.deepEqual(splitCloudByRoutingKey(body), []);
  assert.deepEqual(cloudTemplateEvents(parseCloudEnvelope(body)), [
    {
      name: 'spring_offer',
      language: 'es',
      accountId: WABA,
      providerTemplateId: '1285614406228413',
      status: 'paused',
      category: 'marketing',
      reason: 'Your message template has been paused because of low quality ratings.',
    },
  ]);
});

test('status words: APPROVED (reason NONE dropped), REJECTED, DISABLED; an unknown event is ignored', () => {
  const ev = (event: string, reason?: string) =>
    templateEventsOf(WABA, 'message_template_status_update', { ...base, event, reason });
  assert.deepEqual(ev('APPROVED', 'NONE'), [
    { name: 'promo', language: 'en_US', accountId: WABA, providerTemplateId: '77', status: 'approved' },
  ]);
  assert.equal(ev('REJECTED', 'INVALID_FORMAT')[0].status, 'rejected');
  assert.equal(ev('REJECTED', 'INVALID_FORMAT')[0].reason, 'INVALID_FORMAT');
  assert.equal(ev('DISABLED')[0].status, 'disabled');
  assert.deepEqual(ev('SOMETHING_NEW'), []);
});

test('category: a completed change applies; an impending one only when it makes the template marketing', () => {
  const cat = (v: object) => templateEventsOf(WABA, 'template_category_update', { ...base, ...v });
  assert.equal(cat({ previous_category: 'MARKETING', new_category: 'UTILITY' })[0].category, 'utility');
  assert.equal(cat({ correct_category: 'MARKETING', new_category: 'UTILITY' })[0].category, 'marketing');
  assert.deepEqual(cat({ correct_category: 'UTILITY', new_category: 'MARKETING' }), []);
});

test('a template status value without its name is refused, naming the field', () => {
  const body = JSON.parse(samplePayload('wa-cloud-template-status-paused.json'));
  delete body.entry[0].changes[0].value.message_template_name;
  assert.throws(
    () => parseCloudEnvelope(body),
    (err: { issues?: Array<{ path: unknown[] }> }) =>
      err.issues?.some((i) => i.path.join('.') === 'entry.0.changes.0.value.message_template_name') ?? false,
  );
});
