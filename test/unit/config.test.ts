import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../server/src/config.js';

const base = { NODE_ENV: 'test', EMBEDDED_DB_IN_MEMORY: '1' };

test('defaults give a runnable development config', () => {
  const c = loadConfig({ EMBEDDED_DB_IN_MEMORY: '1' });
  assert.equal(c.PORT, 3000);
  assert.equal(c.NODE_ENV, 'development');
  assert.equal(c.MONGODB_URI, undefined);
  assert.ok(c.SESSION_SECRET.length >= 32);
  assert.equal(c.sandboxEnabled, true);
});

test('HOST defaults to 127.0.0.1 outside production and 0.0.0.0 in production; HOST overrides both', () => {
  assert.equal(loadConfig({ EMBEDDED_DB_IN_MEMORY: '1' }).HOST, '127.0.0.1');
  assert.equal(loadConfig({ ...base }).HOST, '127.0.0.1');
  assert.equal(loadConfig({ ...base, HOST: '' }).HOST, '127.0.0.1', 'an empty HOST (as in .env.example) is unset');
  const prod = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), DATA_DIR: '/tmp/parley-config-host' };
  assert.equal(loadConfig(prod).HOST, '0.0.0.0');
  assert.equal(loadConfig({ ...prod, HOST: '10.0.0.5' }).HOST, '10.0.0.5');
  assert.equal(loadConfig({ ...base, HOST: '0.0.0.0' }).HOST, '0.0.0.0');
});

test('a bad value names the variable and what was expected', () => {
  assert.throws(
    () => loadConfig({ ...base, PORT: 'eighty' }),
    (err: unknown) => err instanceof ConfigError && /PORT:/.test(err.message) && /"eighty"/.test(err.message),
  );
  assert.throws(
    () => loadConfig({ ...base, MONGODB_URI: 'postgres://x' }),
    /MONGODB_URI: must start with mongodb:\/\//,
  );
  assert.throws(() => loadConfig({ ...base, ADMIN_EMAIL: 'not-an-email' }), /ADMIN_EMAIL: must be an email address/);
  assert.throws(() => loadConfig({ ...base, GRAPH_API_VERSION: '23' }), /GRAPH_API_VERSION/);
});

test('secrets are not echoed back in errors', () => {
  assert.throws(
    () => loadConfig({ ...base, SESSION_SECRET: 'short' }),
    (err: unknown) => err instanceof ConfigError && /SESSION_SECRET/.test(err.message) && !/short/.test(err.message),
  );
});

test('production refuses weak defaults', () => {
  assert.throws(() => loadConfig({ NODE_ENV: 'production' }), /SESSION_SECRET: required in production/);
  assert.throws(
    () => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), EMBEDDED_DB_IN_MEMORY: '1' }),
    /EMBEDDED_DB_IN_MEMORY/,
  );
  const ok = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), DATA_DIR: '/tmp/parley-prod-test' });
  assert.equal(ok.sandboxEnabled, false);
  assert.equal(
    loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), SANDBOX: '1' }).sandboxEnabled,
    true,
  );
});

test('empty strings count as unset', () => {
  const c = loadConfig({ ...base, MONGODB_URI: '', ADMIN_EMAIL: ' ' });
  assert.equal(c.MONGODB_URI, undefined);
  assert.equal(c.ADMIN_EMAIL, undefined);
});

test('WHATSAPP_DISPLAY_PHONE_NUMBER: an international number is kept; letters or too few digits name the variable', () => {
  assert.equal(
    loadConfig({ ...base, WHATSAPP_DISPLAY_PHONE_NUMBER: '+34 910 000 001' }).WHATSAPP_DISPLAY_PHONE_NUMBER,
    '+34 910 000 001',
  );
  assert.equal(loadConfig({ ...base, WHATSAPP_DISPLAY_PHONE_NUMBER: '' }).WHATSAPP_DISPLAY_PHONE_NUMBER, undefined);
  for (const bad of ['call us', '+34 91', '109400000000001x']) {
    assert.throws(
      () => loadConfig({ ...base, WHATSAPP_DISPLAY_PHONE_NUMBER: bad }),
      (err: unknown) =>
        err instanceof ConfigError && /WHATSAPP_DISPLAY_PHONE_NUMBER/.test(err.message) && /digits/.test(err.message),
    );
  }
});
