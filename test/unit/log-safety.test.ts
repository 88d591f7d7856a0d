// Log safety: URLs keep only query keys; error messages lose duplicate-key values, phone numbers / provider ids
// and tokens, without mangling object ids, dates' shape or line numbers beyond recognition.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { safeErr, safeReq, safeUrl, scrubText } from '../../server/src/log-safety.js';

test('URLs keep the path and the query keys, never the values', () => {
  assert.equal(
    safeUrl('/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=s3cret&hub.challenge=42'),
    '/webhooks/whatsapp?hub.mode=…&hub.verify_token=…&hub.challenge=…',
  );
  assert.equal(safeUrl('/api/conversations?q=%2B34612345678'), '/api/conversations?q=…');
  assert.equal(safeUrl('/api/users'), '/api/users');
  assert.equal(safeUrl(undefined), '');
  const req = safeReq({ method: 'GET', url: '/sandbox/api/messages?phone=34612345678', query: { phone: '346' } });
  assert.deepEqual(req, { method: 'GET', url: '/sandbox/api/messages?phone=…' });
});

test('error text loses identifiers and tokens', () => {
  const dup =
    'E11000 duplicate key error collection: parley.contact_identities index: kind_1_value_1 dup key: { kind: "wa_id", value: "34612345678" }';
  assert.ok(!scrubText(dup).includes('34612345678'));
  assert.match(scrubText(dup), /dup key: \{ \[redacted\] \}/);
  assert.equal(scrubText('send to +34 612 34 56 78 failed'), 'send to [number] failed');
  assert.equal(scrubText('psid 6912345678901234 unknown'), 'psid [number] unknown');
  assert.equal(scrubText('Authorization: Bearer prly_abc.def'), 'Authorization: Bearer [redacted]');
  assert.equal(
    scrubText('GET https://graph.x/v23.0/1?access_token=EAAGabc123'),
    'GET https://graph.x/v23.0/1?access_token=[redacted]',
  );
  assert.equal(scrubText('token EAAGm0PX4ZCpsBAKZCZCZCZCZCZC1234567890abc'), 'token [token]');
  // What must survive: object ids, short numbers, line numbers.
  assert.equal(scrubText('message 65a1234567890bcdef123456 not found'), 'message 65a1234567890bcdef123456 not found');
  assert.equal(scrubText('at file.ts:123:45 (HTTP 404)'), 'at file.ts:123:45 (HTTP 404)');
});

test('the error serializer scrubs message, stack and causes, and drops driver detail objects', () => {
  const cause = new Error('upstream said 34612345678 is blocked');
  const err = Object.assign(new Error('dup key: { value: "34699999999" }', { cause }), {
    keyValue: { value: '34699999999' },
    code: 11000,
  });
  const out = safeErr(err) as unknown as Record<string, unknown>;
  const text = JSON.stringify(out);
  assert.ok(!text.includes('34699999999'), text);
  assert.ok(!text.includes('34612345678'), text);
  assert.equal(out.code, 11000);
  assert.equal(out.keyValue, '[redacted]');
});
