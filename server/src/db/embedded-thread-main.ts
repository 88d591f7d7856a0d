// Entry of the embedded engine's worker thread (see embedded-thread.ts): starts the engine on workerData.dbpath
// (in memory when null), posts {ready, uri} or {ready:false, error}, closes on 'close'. Must never import app code.
import { parentPort, workerData } from 'node:worker_threads';
import { startEmbeddedServer } from './embedded/index.js';

const port = parentPort!;
const { dbpath } = workerData as { dbpath: string | null };
startEmbeddedServer({ dbpath: dbpath ?? undefined, port: 0 }).then(
  (server) => {
    port.on('message', (m) => {
      if (m === 'close') void server.close().finally(() => process.exit(0));
    });
    port.postMessage({ ready: true, uri: server.uri });
  },
  (err: Error) => {
    port.postMessage({ ready: false, error: err.message });
  },
);
