// Entry of the embedded engine's worker thread (see embedded-thread.ts): starts the engine on workerData.dbpath
// (in memory when null) serving the Unix socket workerData.socketPath (a private temp folder when null), posts
// {ready, uri} or {ready:false, error}, closes on 'close'. Must never import app code nor listen on TCP.
import { parentPort, workerData } from 'node:worker_threads';
import { startEmbeddedServer } from '@parley/embedded-mongo';

const port = parentPort!;
const { dbpath, socketPath } = workerData as { dbpath: string | null; socketPath: string | null };
startEmbeddedServer({ dbpath: dbpath ?? undefined, socketPath: socketPath ?? undefined }).then(
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
