// No send path around the outbound guard: the sender queues only after runGuard, refusal and system records never
// carry an outbox entry, and the chain's order is fixed (the other no-bypass walls are lint rules).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '../../../server/src');
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}
const sources = files(ROOT).map((p) => ({
  path: relative(ROOT, p).replaceAll('\\', '/'),
  text: readFileSync(p, 'utf8'),
}));
// Channel adapters implement send and may call their own helpers; everything else is business code.
const business = sources.filter((s) => !s.path.startsWith('channels/'));

// Who may call an adapter's send, queue a message or an outbox entry is a lint rule (eslint.config.js, proven by
// test/unit/house-walls.test.ts). What lint cannot see — the order inside the sender — is checked here.
test('the sender runs the guard before it builds the outbox entry, and a refusal throws', () => {
  const sender = sources.find((s) => s.path === 'inbox/sender.ts')!.text;
  const guard = sender.indexOf('await runGuard(');
  const queue = sender.search(/outbox:\s*\{\s*state:\s*'pending'/);
  assert.ok(guard > 0 && queue > guard, 'runGuard runs before the outbox entry is built');
  assert.match(sender, /if \(!decision\.ok\)\s*\{?\s*throw/);
  // The outbox re-queues its own retries through the message store's retrySendAt; only the worker calls it.
  const retriers = business.filter((s) => s.path !== 'data/messages.ts' && /\.retrySendAt\(/.test(s.text));
  assert.deepEqual(
    retriers.map((s) => s.path),
    ['inbox/outbox.ts'],
  );
});

test('guard refusals and protection records are stored without an outbox entry', () => {
  for (const p of ['inbox/refusals.ts', 'data/opt-out.ts']) {
    const t = sources.find((s) => s.path === p)!.text;
    assert.match(t, /outbox: null/, p);
  }
});

test('the guard chain is window → template → consent → frequency → content', async () => {
  const { CHAIN } = await import('../../../server/src/policy/guard/index.js');
  assert.deepEqual(
    CHAIN.map(([n]) => n),
    ['window', 'template', 'consent', 'frequency', 'content'],
  );
});
