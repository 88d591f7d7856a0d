// The audit chain verifier: an intact chain passes; any edited, inserted, removed or reordered entry is found,
// and the first bad entry is named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GENESIS_HASH, entryHash, type HashedContent } from '../../../server/src/policy/audit.js';
import { verifyEntries, type ChainEntry } from '../../../server/src/policy/audit-verify.js';

function chain(n: number): ChainEntry[] {
  const out: ChainEntry[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const c: HashedContent = {
      seq: i,
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
      actor: { type: 'user', id: `u${i % 3}`, name: `User ${i % 3}` },
      action: i % 2 ? 'auth.login' : 'message.sent',
      target: { type: 'conversation', id: `c${i}` },
      details: { n: i, nested: { kind: 'text' } },
    };
    const hash = entryHash(prev, c);
    out.push({ ...c, _id: `id${i}`, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

/** Recomputes seq/prevHash/hash from position onward, as a forger who rewrites the rest of the chain would. */
function rehash(entries: ChainEntry[]): ChainEntry[] {
  let prev = GENESIS_HASH;
  return entries.map((e, i) => {
    const c = { ...e, seq: i + 1, prevHash: prev };
    c.hash = entryHash(prev, c);
    prev = c.hash;
    return c;
  });
}

test('an intact chain verifies, and an empty one too', () => {
  assert.deepEqual(verifyEntries(chain(10)), { ok: true, entries: 10 });
  assert.deepEqual(verifyEntries([]), { ok: true, entries: 0 });
});

test('an edited entry (details, action, actor, time) is detected at that entry', () => {
  const edits: Array<(e: ChainEntry) => void> = [
    (e) => (e.details = { n: 999, nested: { kind: 'text' } }),
    (e) => (e.action = 'auth.logout'),
    (e) => (e.actor = { ...e.actor, id: 'someone-else' }),
    (e) => (e.at = new Date(e.at.getTime() + 1)),
    (e) => (e.target = { type: 'conversation', id: 'other' }),
  ];
  for (const edit of edits) {
    const c = chain(8);
    edit(c[4]);
    const r = verifyEntries(c);
    assert.equal(r.ok, false);
    assert.equal(r.firstBadEntry?.seq, 5);
    assert.match(r.firstBadEntry!.reason, /edited/);
  }
});

test('an edited entry whose own hash was recomputed breaks the link of the next one', () => {
  const c = chain(8);
  c[2].details = { forged: true };
  c[2].hash = entryHash(c[2].prevHash, c[2]);
  const r = verifyEntries(c);
  assert.equal(r.ok, false);
  assert.equal(r.firstBadEntry?.seq, 4);
});

test('a removed entry is detected (gap in seq), even with seq renumbered', () => {
  const c = chain(8);
  c.splice(3, 1);
  let r = verifyEntries(c);
  assert.equal(r.ok, false);
  assert.equal(r.firstBadEntry?.seq, 5);
  // Renumbering seq after the hole still breaks the hash chain.
  const renumbered = c.map((e, i) => ({ ...e, seq: i + 1 }));
  r = verifyEntries(renumbered);
  assert.equal(r.ok, false);
  assert.equal(r.firstBadEntry?.seq, 4);
});

test('an inserted entry is detected', () => {
  const c = chain(6);
  const fake: ChainEntry = { ...c[2], _id: 'fake', details: { inserted: true } };
  c.splice(3, 0, fake);
  const r = verifyEntries(c);
  assert.equal(r.ok, false);
  assert.equal(r.firstBadEntry?.id, 'fake');
  // Inserting with correct seq numbers and a good link for itself still breaks the one after it.
  const base = chain(6);
  const ins: ChainEntry = { ...base[2], seq: 4, _id: 'fake2', prevHash: base[2].hash, details: { inserted: true } };
  ins.hash = entryHash(ins.prevHash, ins);
  const tail = base.slice(3).map((e) => ({ ...e, seq: e.seq + 1 }));
  const r2 = verifyEntries([...base.slice(0, 3), ins, ...tail]);
  assert.equal(r2.ok, false);
  assert.equal(r2.firstBadEntry?.seq, 5);
});

test('reordered entries are detected', () => {
  const c = chain(6);
  [c[1], c[2]] = [c[2], c[1]];
  assert.equal(verifyEntries(c).ok, false);
  // Swapping their seq numbers too does not help.
  const d = chain(6);
  const a = { ...d[2], seq: 2 };
  const b = { ...d[1], seq: 3 };
  const r = verifyEntries([d[0], a, b, ...d.slice(3)]);
  assert.equal(r.ok, false);
  assert.equal(r.firstBadEntry?.seq, 2);
});

test('only a full rewrite from the genesis passes (the chain proves order and content, not who wrote it)', () => {
  const c = chain(5);
  c[2].details = { rewritten: true };
  assert.equal(verifyEntries(rehash(c)).ok, true);
});
