// /readyz follows the database's own health: not ready while the embedded engine refuses writes (it still answers
// pings then), ready again once it accepts them; an external MongoDB is only pinged (serverStatus may need
// privileges the app's user lacks).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Connection } from 'mongoose';
import { opsRoutes } from '../../../server/src/http/ops.routes.js';
import { createMetrics } from '../../../server/src/metrics.js';

function fakeConnection(state: { writable: boolean; calls: string[] }): Connection {
  const admin = {
    ping: async () => {
      state.calls.push('ping');
      return { ok: 1 };
    },
    command: async (cmd: Record<string, unknown>) => {
      state.calls.push(Object.keys(cmd)[0]);
      return { ok: 1, embedded: state.writable ? { writable: true } : { writable: false, writeError: 'ENOSPC' } };
    },
  };
  return { readyState: 1, db: { admin: () => admin } } as unknown as Connection;
}

async function readyz(embedded: boolean, state: { writable: boolean; calls: string[] }) {
  const app = express().use(opsRoutes({ connection: fakeConnection(state), metrics: createMetrics(), embedded }));
  const server = createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/readyz`);
    return { status: res.status, body: (await res.json()) as { error?: { message: string } } };
  } finally {
    await new Promise((r) => server.close(r));
  }
}

test('embedded: not ready while the engine refuses writes, ready once it accepts them again', async () => {
  const state = { writable: false, calls: [] as string[] };
  const down = await readyz(true, state);
  assert.equal(down.status, 503);
  assert.match(down.body.error!.message, /refuses writes: ENOSPC/);
  state.writable = true;
  assert.equal((await readyz(true, state)).status, 200);
});

test('external MongoDB: only pinged, never asked for serverStatus', async () => {
  const state = { writable: false, calls: [] as string[] };
  assert.equal((await readyz(false, state)).status, 200);
  assert.deepEqual(state.calls, ['ping']);
});
