// Secrets the server keeps in the data folder when the environment does not set them: generated once (owner-only
// file), the same on the next start, the environment's value when given, a short one refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../server/src/config.js';

test('SUPPRESSION_SECRET: generated once into DATA_DIR (0600), reused, overridden by the environment', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-secrets-'));
  const first = loadConfig({ DATA_DIR: dir }).SUPPRESSION_SECRET;
  assert.ok(first.length >= 32);
  const file = join(dir, '.suppression-secret');
  assert.equal(readFileSync(file, 'utf8').trim(), first);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(loadConfig({ DATA_DIR: dir }).SUPPRESSION_SECRET, first);
  assert.notEqual(first, loadConfig({ DATA_DIR: dir }).SESSION_SECRET, 'not the session secret');
  const own = 'x'.repeat(40);
  assert.equal(loadConfig({ DATA_DIR: dir, SUPPRESSION_SECRET: own }).SUPPRESSION_SECRET, own);
  assert.throws(
    () => loadConfig({ DATA_DIR: dir, SUPPRESSION_SECRET: 'short' }),
    (e: Error) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, /SUPPRESSION_SECRET: must be at least 32 characters/);
      assert.ok(!e.message.includes('short'), 'the secret is not echoed');
      return true;
    },
  );
});

test('SUPPRESSION_SECRET is required when several processes share the database (REDIS_URL)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-secrets-'));
  assert.throws(
    () => loadConfig({ DATA_DIR: dir, REDIS_URL: 'redis://localhost:6379' }),
    /SUPPRESSION_SECRET: required when several processes share the database/,
  );
  const ok = loadConfig({ DATA_DIR: dir, REDIS_URL: 'redis://localhost:6379', SUPPRESSION_SECRET: 'y'.repeat(32) });
  assert.equal(ok.SUPPRESSION_SECRET, 'y'.repeat(32));
});
