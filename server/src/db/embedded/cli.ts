// Standalone launcher for the embedded database (`npm run db:embedded -- --port 27018 --dbpath ./data/db`):
// starts the server, prints the mongodb:// URI it serves and shuts down cleanly on SIGINT/SIGTERM.
// Must never import anything outside db/embedded/.
import { parseArgs } from 'node:util';
import { startEmbeddedServer } from './index.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '27018' },
    host: { type: 'string', default: '127.0.0.1' },
    dbpath: { type: 'string' },
    'ttl-sweep-ms': { type: 'string' },
    'compact-bytes': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(
    'usage: npm run db:embedded -- [--port 27018] [--host 127.0.0.1] [--dbpath ./data/db] [--ttl-sweep-ms 60000] [--compact-bytes N]',
  );
  console.log('without --dbpath the data lives in memory only and is lost on exit');
  process.exit(0);
}

const server = await startEmbeddedServer({
  port: Number(values.port),
  host: values.host,
  dbpath: values.dbpath,
  ttlSweepMs: values['ttl-sweep-ms'] ? Number(values['ttl-sweep-ms']) : undefined,
  compactBytes: values['compact-bytes'] ? Number(values['compact-bytes']) : undefined,
}).catch((e: unknown) => {
  // e.g. the data folder is locked by another process: say so plainly, no stack trace.
  console.error(`[parley-db] cannot start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
console.log(server.uri);
console.error(
  values.dbpath
    ? `[parley-db] durable mode, data in ${values.dbpath}`
    : '[parley-db] in-memory mode (no --dbpath): data is lost on exit',
);

let stopping = false;
const stop = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  console.error(`[parley-db] ${signal} received, shutting down`);
  server.close().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error('[parley-db] shutdown failed', e);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
