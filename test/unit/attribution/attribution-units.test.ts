// Pure attribution helpers: ref codes in text, wa.me / m.me targets, user-agent families, the masked Attribution
// view (never a click id or PSID), funnel ranges, median, CSV escaping and rollup contributions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Types } from 'mongoose';
import { chatTarget, refCodeIn, uaFamily } from '../../../server/src/attribution/links.js';
import { attributionView } from '../../../server/src/attribution/resolver.js';
import { funnelCsv, funnelRange, median } from '../../../server/src/attribution/funnel.js';
import { contribution } from '../../../server/src/attribution/rollups.js';
import { capiEventId } from '../../../server/src/attribution/capi.js';

test('ref codes: found anywhere in the text, case-insensitive, only in the [ref:…] marker', () => {
  assert.equal(refCodeIn('Hola! [ref:K7Q2] me interesa'), 'K7Q2');
  assert.equal(refCodeIn('hi [REF:ab23cdef]'), 'AB23CDEF');
  assert.equal(refCodeIn('ref:K7Q2 without brackets'), null);
  assert.equal(refCodeIn('[ref:K7]'), null, 'too short');
  assert.equal(refCodeIn(null), null);
});

test('chat targets: wa.me with the prefilled text ending in the code; m.me with ref', () => {
  const link = { prefilledText: 'Hi! Spring sale' } as never;
  assert.equal(
    chatTarget(
      { link, channel: { kind: 'whatsapp-cloud', externalId: '1094', displayNumber: '+34 910 000 001' } },
      'K7Q2AB3C',
    ),
    'https://wa.me/34910000001?text=Hi!%20Spring%20sale%20%5Bref%3AK7Q2AB3C%5D',
  );
  assert.equal(
    chatTarget({ link, channel: { kind: 'messenger', externalId: '2000001', displayNumber: null } }, 'K7Q2AB3C'),
    'https://m.me/2000001?ref=K7Q2AB3C',
  );
});

test('user-agent families are coarse; crawlers are bots', () => {
  assert.equal(uaFamily('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)'), 'ios');
  assert.equal(uaFamily('Mozilla/5.0 (Linux; Android 14; Pixel 8)'), 'android');
  assert.equal(uaFamily('Mozilla/5.0 (Windows NT 10.0; Win64; x64)'), 'desktop');
  assert.equal(uaFamily('facebookexternalhit/1.1'), 'bot');
  assert.equal(uaFamily(undefined), 'other');
});

test('the Attribution view never carries ctwa_clid or PSID, only hasClickId; unsafe URLs are dropped', () => {
  const view = attributionView({
    source: 'ctm',
    campaignId: new Types.ObjectId(),
    ad: null,
    clickId: null,
    clickedAt: new Date('2026-01-01T00:00:00Z'),
    ctwaClid: 'CLID-SECRET',
    pageId: 'PAGE',
    psid: 'PSID-SECRET',
    headline: 'H',
    sourceUrl: 'javascript:alert(1)',
    mediaUrl: 'https://example.invalid/a.jpg',
  });
  assert.equal(view.hasClickId, true);
  assert.equal(view.sourceUrl, undefined);
  const text = JSON.stringify(view);
  assert.ok(!text.includes('SECRET') && !text.includes('PAGE'));
});

test('funnel helpers: whole-day ranges with an inclusive end, median, CSV escaping and formula guard', () => {
  const r = funnelRange('2026-01-01', '2026-01-03');
  assert.equal(r.from.toISOString(), '2026-01-01T00:00:00.000Z');
  assert.equal(r.to.toISOString(), '2026-01-04T00:00:00.000Z');
  assert.equal(median([]), null);
  assert.equal(median([300, 60, 120]), 120);
  assert.equal(median([1, 2, 3, 10]), 2.5);
  const row = {
    key: 'k',
    label: '=HYPERLINK("x")',
    clicks: 1,
    chats: 1,
    answered: 0,
    medianFirstResponseSeconds: null,
    qualified: 0,
    converted: 0,
    conversionValue: 0,
    conversionRate: 0,
  };
  const csv = funnelCsv({
    from: '',
    to: '',
    groupBy: 'campaign',
    rows: [row],
    totals: { ...row, key: 'total', label: 'Total' },
    perDay: [],
  });
  assert.match(csv, /^key,label,/);
  assert.ok(csv.includes(`k,"'=HYPERLINK(""x"")",1,1,0,,0,0,0,0`));
});

test('rollup contributions and deterministic CAPI event ids', () => {
  const chatAt = new Date();
  assert.deepEqual(contribution(null), { chats: 0, answered: 0, qualified: 0, converted: 0, value: 0 });
  assert.deepEqual(contribution({ chatAt, answeredAt: chatAt, qualifiedAt: chatAt, stage: 'converted', value: 500 }), {
    chats: 1,
    answered: 1,
    qualified: 1,
    converted: 1,
    value: 500,
  });
  assert.deepEqual(contribution({ chatAt, qualifiedAt: chatAt, stage: 'lost', value: null }), {
    chats: 1,
    answered: 0,
    qualified: 1,
    converted: 0,
    value: 0,
  });
  assert.equal(capiEventId('abc', 'Purchase'), capiEventId('abc', 'Purchase'));
  assert.notEqual(capiEventId('abc', 'Purchase'), capiEventId('abc', 'QualifiedLead'));
  assert.match(capiEventId('abc', 'Purchase'), /^[0-9a-f]{64}$/);
});
