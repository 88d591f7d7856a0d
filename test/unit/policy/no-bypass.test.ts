// No send path around the outbound guard: only the outbox worker calls a channel adapter's send, only
// inbox/sender queues outbox entries (after runGuard), and refusal/system records never carry an outbox entry.
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

test('only the outbox worker calls an adapter send', () => {
  const callers = business.filter(
    (s) =>
      /\b(adapter|\w*Adapter\w*)\s*\)?\s*\.send\s*\(/.test(s.text) || /adapterFor\([^)]*\)\)?\s*\.send\(/.test(s.text),
  );
  assert.deepEqual(
    callers.map((s) => s.path),
    ['inbox/outbox.ts'],
  );
});

test('only inbox/sender queues an outbox entry, and it runs the guard first', () => {
  const queuers = business.filter(
    (s) => /outbox:\s*\{\s*state:\s*'pending'/.test(s.text) || /'outbox\.state':\s*'pending'/.test(s.text),
  );
  // The outbox re-queues its own retries ('outbox.state': 'pending' on a transient failure) through the message
  // store's retrySendAt, which only the outbox worker calls.
  assert.deepEqual(queuers.map((s) => s.path).sort(), ['data/messages.ts', 'inbox/sender.ts']);
  const retriers = business.filter((s) => s.path !== 'data/messages.ts' && /\.retrySendAt\(/.test(s.text));
  assert.deepEqual(
    retriers.map((s) => s.path),
    ['inbox/outbox.ts'],
  );
  const sender = sources.find((s) => s.path === 'inbox/sender.ts')!.text;
  const guard = sender.indexOf('await runGuard(');
  const queue = sender.search(/outbox:\s*\{\s*state:\s*'pending'/);
  assert.ok(guard > 0 && queue > guard, 'runGuard runs before the outbox entry is built');
  assert.match(sender, /if \(!decision\.ok\)\s*\{?\s*throw/);
  const outbox = sources.find((s) => s.path === 'inbox/outbox.ts')!.text;
  assert.ok(!/MessageModel\.create|insertMany|insertOne/.test(outbox), 'the outbox never creates messages');
});

test('guard refusals and protection records never get an outbox entry', () => {
  for (const p of ['inbox/refusals.ts', 'data/opt-out.ts']) {
    const t = sources.find((s) => s.path === p)!.text;
    assert.match(t, /outbox: null/, p);
    assert.ok(!/state: 'pending'/.test(t), p);
  }
  // Nothing outside inbox/ writes outbound messages with a queued status.
  const queued = business.filter((s) => /status: 'queued'/.test(s.text)).map((s) => s.path);
  assert.deepEqual(queued, ['inbox/sender.ts']);
});

test('the guard chain is window → consent → frequency → content', async () => {
  const { CHAIN } = await import('../../../server/src/policy/guard/index.js');
  assert.deepEqual(
    CHAIN.map(([n]) => n),
    ['window', 'consent', 'frequency', 'content'],
  );
});
