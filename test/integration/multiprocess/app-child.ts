// Child process of the multi-process test: one real Parley server configured only from the env the parent
// passes (shared MONGODB_URI/MONGODB_DB and REDIS_URL, env channel, known admin, ephemeral port). Reports
// {ready, url} over IPC; stops gracefully on SIGTERM and must never outlive its parent (exits on disconnect).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../server/src/config.js';
import { startServer } from '../../../server/src/server.js';

async function main(): Promise<void> {
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: process.env.DATA_DIR || mkdtempSync(join(tmpdir(), 'parley-mp-')),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  });
  const srv = await startServer(config);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    const hard = setTimeout(() => process.exit(0), 5_000);
    hard.unref();
    void srv.stop().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
  process.send!({ ready: true, url: `http://127.0.0.1:${srv.port}` });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
