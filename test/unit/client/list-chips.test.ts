// Pure rules of the list additions: ref codes are split out of text (the rest kept exactly), snooze presets are
// always ahead of now ("tonight" only while it is more than half an hour away, "next week" a Monday 9:00), and
// the live list's label filter drops a conversation that lost the label.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitRefCodes } from '../../../client/src/components/inbox/MessageText.js';
import { snoozePresets } from '../../../client/src/components/inbox/snooze-presets.js';
import { matchesFilters } from '../../../client/src/hooks/useConversationList.js';
import type { Conversation } from '../../../shared/src/index.js';

test('ref codes become their own parts; the words around them stay', () => {
  assert.deepEqual(splitRefCodes('Hola [ref:K7Q2AB3C] quiero info'), [
    { text: 'Hola ' },
    { ref: 'K7Q2AB3C' },
    { text: ' quiero info' },
  ]);
  assert.deepEqual(splitRefCodes('[ref:ABCD]'), [{ ref: 'ABCD' }]);
  assert.deepEqual(splitRefCodes('no code [ref:] here'), [{ text: 'no code [ref:] here' }]);
});

test('snooze presets are ahead of now', () => {
  const morning = new Date(2026, 0, 7, 10, 0); // a Wednesday
  const keys = snoozePresets(morning).map((p) => p.key);
  assert.deepEqual(keys, ['1h', 'tonight', 'tomorrow', 'week']);
  for (const p of snoozePresets(morning)) assert.ok(p.at.getTime() > morning.getTime(), p.key);
  const week = snoozePresets(morning).find((p) => p.key === 'week')!.at;
  assert.equal(week.getDay(), 1);
  assert.equal(week.getHours(), 9);
  const late = new Date(2026, 0, 7, 19, 45);
  assert.equal(
    snoozePresets(late).some((p) => p.key === 'tonight'),
    false,
  );
  const monday = new Date(2026, 0, 5, 8, 0);
  assert.equal(
    snoozePresets(monday)
      .find((p) => p.key === 'week')!
      .at.getDate(),
    12,
    'a Monday: the next one',
  );
});

test('the live label filter', () => {
  const c = { id: 'c1', channel: 'ch', status: 'open', assignee: null, labels: ['l1'] } as unknown as Conversation;
  assert.equal(matchesFilters(c, { label: 'l1' }, 'me', true), true);
  assert.equal(matchesFilters({ ...c, labels: [] }, { label: 'l1' }, 'me', true), false);
});
