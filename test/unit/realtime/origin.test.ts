// The socket handshake's Origin policy: PUBLIC_URL's origin, the request's own host outside production (or when
// PUBLIC_URL is unset), nothing else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { refusedOrigin } from '../../../server/src/realtime/origin.js';

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

test('production with PUBLIC_URL: only that origin', () => {
  const policy = { publicUrl: 'https://inbox.example.com', production: true };
  assert.equal(refusedOrigin(req({ host: 'inbox.example.com', origin: 'https://inbox.example.com' }), policy), null);
  assert.equal(refusedOrigin(req({ host: 'inbox.example.com' }), policy), null);
  for (const origin of [
    'https://shop.example.com',
    'http://inbox.example.com', // scheme matters
    'https://inbox.example.com.evil.io',
    'https://inbox.example.com:8443',
    'null',
    'garbage',
  ]) {
    assert.notEqual(refusedOrigin(req({ host: 'inbox.example.com', origin }), policy), null, origin);
  }
  // In production the Host header alone does not make an origin Parley's own.
  assert.notEqual(refusedOrigin(req({ host: 'shop.example.com', origin: 'https://shop.example.com' }), policy), null);
});

test('outside production: the request’s own host is accepted as well', () => {
  const policy = { publicUrl: 'https://inbox.example.com', production: false };
  assert.equal(refusedOrigin(req({ host: 'localhost:3000', origin: 'http://localhost:3000' }), policy), null);
  assert.equal(refusedOrigin(req({ host: 'localhost:3000', origin: 'https://inbox.example.com' }), policy), null);
  assert.notEqual(refusedOrigin(req({ host: 'localhost:3000', origin: 'http://localhost:3001' }), policy), null);
  assert.notEqual(refusedOrigin(req({ host: 'localhost:3000', origin: 'http://evil.localhost:3000' }), policy), null);
});

test('production without PUBLIC_URL falls back to the own host', () => {
  const policy = { production: true };
  assert.equal(refusedOrigin(req({ host: 'inbox.example.com', origin: 'https://inbox.example.com' }), policy), null);
  assert.notEqual(refusedOrigin(req({ host: 'inbox.example.com', origin: 'https://evil.example.com' }), policy), null);
});
