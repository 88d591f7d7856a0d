// Starts the real Parley server for a test: ephemeral port on 127.0.0.1, a fresh database (the embedded engine
// in memory, or a unique database on MONGODB_URI when set), a known first admin. Must never share state between
// calls except what the caller passes (dataDir for restart tests).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { loadConfig } from '../../server/src/config.js';
import { startServer, type RunningServer } from '../../server/src/server.js';
import type { Logger } from '../../server/src/logger.js';

export interface TestServer {
  baseUrl: string;
  admin: { email: string; password: string };
  server: RunningServer;
  close(): Promise<void>;
}

export const TEST_ADMIN = { email: 'admin@parley.test', password: 'correct-horse-battery' };

export async function startTestServer(
  opts: { env?: Record<string, string | undefined>; logger?: Logger } = {},
): Promise<TestServer> {
  const realMongo = process.env.MONGODB_URI;
  const dbName = `parley_test_${randomBytes(6).toString('hex')}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'parley-test-')),
    MONGODB_URI: realMongo,
    MONGODB_DB: dbName,
    EMBEDDED_DB_IN_MEMORY: realMongo ? '0' : '1',
    ADMIN_EMAIL: TEST_ADMIN.email,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...opts.env,
  });
  const server = await startServer(config, opts.logger ? { logger: opts.logger } : {});
  return {
    baseUrl: `http://127.0.0.1:${server.port}`,
    admin: TEST_ADMIN,
    server,
    async close() {
      if (realMongo && mongoose.connection.db && !opts.env?.DATA_DIR) {
        await mongoose.connection.db.dropDatabase().catch(() => {});
      }
      await server.stop();
    },
  };
}
