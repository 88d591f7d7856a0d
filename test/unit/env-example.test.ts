// .env.example documents every variable the config schema reads, and nothing it does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ConfigSchema, loadConfig } from '../../server/src/config.js';

test('.env.example lists exactly the variables of the config schema, and parses', () => {
  const text = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
  const documented = [...text.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]).sort();
  assert.deepEqual(documented, Object.keys(ConfigSchema.shape).sort());
  const env = Object.fromEntries([...text.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1], m[2]]));
  assert.doesNotThrow(() => loadConfig({ ...env, EMBEDDED_DB_IN_MEMORY: '1' }));
});
