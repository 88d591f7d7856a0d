// Runs the embedded engine on a worker thread of this process, so the engine and the app each get a core: the
// app talks to it over a Unix domain socket (owner-only, see @parley/embedded-mongo), the data folder and its lock
// are the same. Start-up errors (a locked folder, a bad journal, a live server on the socket) are raised here
// with the engine's own message. Must never hold application logic, never open a TCP listener, and never leave
// the thread running after close().
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fitsSocketPath } from '@parley/embedded-mongo';

export interface EngineThread {
  uri: string;
  close(): Promise<void>;
}

type FromThread = { ready: true; uri: string } | { ready: false; error: string } | { closed: true };

/**
 * dbpath: durable folder (absent: in memory). socketPath: where to serve; absent, or too long for a socket
 * path, a private temp folder is used instead.
 */
export function startEngineThread(opts: { dbpath?: string; socketPath?: string }): Promise<EngineThread> {
  // Built (dist): the .js entry next to this file. From source (tsx): the thread registers tsx first.
  const js = new URL('./embedded-thread-main.js', import.meta.url);
  const socketPath = opts.socketPath && fitsSocketPath(opts.socketPath) ? opts.socketPath : null;
  const workerData = { dbpath: opts.dbpath ?? null, socketPath };
  const worker = existsSync(fileURLToPath(js))
    ? new Worker(js, { workerData })
    : new Worker(
        `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(
          new URL('./embedded-thread-main.ts', import.meta.url).href,
        )}); });`,
        { eval: true, workerData },
      );
  return new Promise((resolve, reject) => {
    const onExit = (code: number) =>
      reject(new Error(`embedded engine thread exited with code ${code} while starting`));
    worker.once('exit', onExit);
    worker.once('error', reject);
    worker.once('message', (m: FromThread) => {
      worker.off('exit', onExit);
      if ('ready' in m && m.ready) {
        resolve({
          uri: m.uri,
          close: () =>
            new Promise<void>((done) => {
              worker.once('exit', () => done());
              worker.postMessage('close');
            }),
        });
      } else {
        reject(new Error('error' in m ? m.error : 'embedded engine thread failed to start'));
        void worker.terminate();
      }
    });
  });
}
