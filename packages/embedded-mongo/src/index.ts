// Public entry point of Parley's embedded MongoDB-wire-compatible database engine: starts an in-memory (or,
// with dbpath, durable) server on a Unix domain socket (owner-only; see socket.ts) that mongoose/the mongodb
// driver connect to via `uri`. The engine has no authentication, so it must never listen on TCP. Must never
// import anything outside this package (only node builtins, bson, mingo and its own files).
import { Engine } from './engine.js';
import type { Persistence } from './persistence/types.js';
import { WireServer } from './server.js';
import { lockDownSocket, prepareSocket, removeSocket, socketUri, type PreparedSocket } from './socket.js';

export interface EmbeddedServerOptions {
  /** Socket file (absolute or relative, ending in .sock); its folder must be owner-only (created 0700 if missing).
   *  undefined = a private temp folder, removed on close. There is no TCP option: the engine has no authentication. */
  socketPath?: string;
  dbpath?: string; // undefined = in-memory (tests); else durable in that folder
  compactBytes?: number; // journal size that triggers compaction (pass through to persistence)
  ttlSweepMs?: number; // TTL sweep period, default 60_000
  persistence?: Persistence; // optional injection (tests); default when dbpath set: createFilePersistence(dbpath, { compactBytes })
}

export interface EmbeddedServer {
  /** mongodb://<url-encoded socket path>/?directConnection=true */
  uri: string;
  /** Absolute path of the socket file (mode 0600, in a 0700 folder). */
  socketPath: string;
  /** Write health: `writable` is false (with the error and since when) while a failed journal write or fsync
   *  makes the engine refuse writes; it turns true again by itself once a probe write succeeds. Also reported by
   *  the serverStatus command as `embedded.writable`/`writeError`/`writeErrorSince`. */
  health(): { writable: boolean; writeError?: string; writeErrorSince?: Date };
  close(): Promise<void>;
}

export type { Persistence, JournalRecord, IndexSpec } from './persistence/types.js';
export { fitsSocketPath } from './socket.js';

const SESSION_SWEEP_MS = 10_000;

async function openPersistence(opts: EmbeddedServerOptions): Promise<Persistence | null> {
  if (opts.persistence) return opts.persistence;
  if (!opts.dbpath) return null;
  // Loaded lazily so in-memory mode works without the durability module.
  const mod = (await import('./persistence/file.js')) as {
    createFilePersistence(dir: string, o?: { compactBytes?: number }): Persistence;
  };
  return mod.createFilePersistence(opts.dbpath, { compactBytes: opts.compactBytes });
}

export async function startEmbeddedServer(opts: EmbeddedServerOptions = {}): Promise<EmbeddedServer> {
  if ('port' in opts || 'host' in opts) {
    throw new Error(
      'the embedded engine serves only a Unix domain socket (socketPath); TCP port/host are not supported',
    );
  }
  const log = (msg: string, err?: unknown): void => {
    console.error(`[parley-db] ${msg}${err ? `: ${err instanceof Error ? err.message : String(err)}` : ''}`);
  };
  let persistence: Persistence | null = null;
  let socket: PreparedSocket | undefined;
  let wire: WireServer | undefined;
  let engine: Engine;
  let ino: number;
  try {
    // The data folder's lock first: a second server on the same folder is told so, not about the socket.
    persistence = await openPersistence(opts);
    const records = persistence ? await persistence.open() : null;
    socket = await prepareSocket(opts.socketPath);
    engine = new Engine({ address: socket.path, setName: 'parley', startedAt: new Date() }, persistence, log);
    if (records) engine.load(records);
    wire = new WireServer(engine, log);
    await wire.listen(socket.path);
    ino = lockDownSocket(socket.path);
  } catch (e) {
    await wire?.close().catch(() => {});
    await persistence?.close().catch(() => {});
    if (socket) removeSocket(socket, null);
    throw e;
  }
  const [server, place] = [wire, socket];
  const ttlTimer = setInterval(() => {
    engine.sweepTtl().catch((e) => log('TTL sweep failed', e));
  }, opts.ttlSweepMs ?? 60_000);
  const sessionTimer = setInterval(() => engine.sweepSessions(), SESSION_SWEEP_MS);
  ttlTimer.unref();
  sessionTimer.unref();
  let closing: Promise<void> | null = null;
  return {
    uri: socketUri(place.path),
    socketPath: place.path,
    health: () => engine.health.status() as ReturnType<EmbeddedServer['health']>,
    close(): Promise<void> {
      closing ??= (async () => {
        clearInterval(ttlTimer);
        clearInterval(sessionTimer);
        await server.close();
        removeSocket(place, ino);
        await engine.idle();
        engine.shutdown();
        await persistence?.close();
      })();
      return closing;
    },
  };
}
