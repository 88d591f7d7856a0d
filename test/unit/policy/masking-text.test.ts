// Numbers inside system lines and contact cards: found in any formatting (libphonenumber, then any run of 7+
// digits), masked exactly as a contact's number is (maskPhone), idempotent; other message kinds are untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentVisibleText, maskPhone, maskPhonesInText } from '../../../server/src/policy/masking.js';

const digitsIn = (s: string) => s.replace(/\D/g, '');

test('a changed-number notice: both numbers masked like contact numbers, the words kept', () => {
  const text = 'Ana changed from +34 612 345 678 to +34612345699.';
  const masked = maskPhonesInText(text);
  assert.equal(masked, `Ana changed from ${maskPhone('34612345678')} to ${maskPhone('34612345699')}.`);
  assert.equal(masked, 'Ana changed from +34 6•• ••• •78 to +34 6•• ••• •99.');
});

test('numbers libphonenumber does not call valid (fictional, no "+", odd separators) are masked too', () => {
  for (const text of [
    '👤 Bob (+1 (555) 123-4567, 15551234567); Carl',
    'User changed from 34612345678 to 34612345699',
    'tel 612.345.678',
    'FN:+44 20 7946 0958',
    '+34612345678x',
  ]) {
    const masked = maskPhonesInText(text);
    for (const needle of ['5551234567', '612345678', '7946', '34612345699'])
      assert.ok(!digitsIn(masked).includes(needle), `${needle} survived in ${masked}`);
    assert.equal(maskPhonesInText(masked), masked, 'idempotent');
  }
});

test('short numbers and dates stay; only system and contact-card texts are masked', () => {
  assert.equal(maskPhonesInText('Order 12345 on 2026-03-01'), 'Order 12345 on 2026-03-01');
  assert.equal(agentVisibleText('text', 'call me on +34 612 345 678'), 'call me on +34 612 345 678');
  assert.equal(agentVisibleText('contacts', '👤 Eva (+34 612 345 678)'), '👤 Eva (+34 6•• ••• •78)');
  assert.equal(agentVisibleText('system', 'changed to +34 612 345 678'), 'changed to +34 6•• ••• •78');
  assert.equal(agentVisibleText('system', null), null);
});
