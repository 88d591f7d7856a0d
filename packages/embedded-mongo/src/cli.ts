// Standalone launcher for the embedded database (`npm run db:embedded -- --dbpath ./data/db`): serves a Unix
// domain socket file (owner-only; `--socket`, default ./data/run/parley-db.sock), prints the mongodb:// URI it
// serves and shuts down cleanly on SIGINT/SIGTERM. The engine has no authentication, so this launcher must never
// open a TCP port. Must never import anything outside this package.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startEmbeddedServer } from './index.js';

const USAGE =
  'usage: npm run db:embedded -- [--socket ./data/run/parley-db.sock] [--dbpath ./data/db] [--ttl-sweep-ms 60000] [--compact-bytes N]';

let values;
try {
  ({ values } = parseArgs({
    options: {
      socket: { type: 'string' },
      dbpath: { type: 'string' },
      'ttl-sweep-ms': { type: 'string' },
      'compact-bytes': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  }));
} catch (e) {
  // e.g. the old --port/--host: there is no TCP listener any more.
  console.error(`[parley-db] ${e instanceof Error ? e.message : String(e)}`);
  console.error(`${USAGE}\nthe engine serves only a socket file (it has no authentication); there is no --port/--host`);
  process.exit(2);
}

if (values.help) {
  console.log(USAGE);
  console.log('serves the socket file given by --socket (must end in .sock; its folder is created owner-only, 0700,');
  console.log('and must not be open to other users; the socket itself is 0600). Default: run/parley-db.sock next to');
  console.log('the --dbpath folder, else ./data/run/parley-db.sock. No TCP port: the engine has no authentication.');
  console.log('Connect with the printed URI, e.g. mongosh "mongodb://%2F...%2Fparley-db.sock/?directConnection=true".');
  console.log('without --dbpath the data lives in memory only and is lost on exit');
  process.exit(0);
}

const socketPath =
  values.socket ??
  path.join(values.dbpath ? path.dirname(path.resolve(values.dbpath)) : path.resolve('data'), 'run', 'parley-db.sock');

const server = await startEmbeddedServer({
  socketPath,
  dbpath: values.dbpath,
  ttlSweepMs: values['ttl-sweep-ms'] ? Number(values['ttl-sweep-ms']) : undefined,
  compactBytes: values['compact-bytes'] ? Number(values['compact-bytes']) : undefined,
}).catch((e: unknown) => {
  // e.g. the data folder is locked by another process: say so plainly, no stack trace.
  console.error(`[parley-db] cannot start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
console.log(server.uri);
console.error(`[parley-db] listening on ${server.socketPath} (owner-only socket, no TCP)`);
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
