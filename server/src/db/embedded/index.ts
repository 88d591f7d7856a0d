// Public entry point of Parley's embedded MongoDB-wire-compatible database engine: starts an in-memory (or,
// with dbpath, durable) server on 127.0.0.1 that mongoose/the mongodb driver connect to via `uri`.
// Must never import anything outside db/embedded/ (only node builtins, bson, mingo and its own files).
import { Engine } from './engine.js';
import type { Persistence } from './persistence/types.js';
import { WireServer } from './server.js';

export interface EmbeddedServerOptions {
  port?: number; // 0 or undefined = ephemeral port
  host?: string; // default '127.0.0.1'
  dbpath?: string; // undefined = in-memory (tests); else durable in that folder
  compactBytes?: number; // journal size that triggers compaction (pass through to persistence)
  ttlSweepMs?: number; // TTL sweep period, default 60_000
  persistence?: Persistence; // optional injection (tests); default when dbpath set: createFilePersistence(dbpath, { compactBytes })
}

export interface EmbeddedServer {
  uri: string;
  port: number;
  close(): Promise<void>;
}

export type { Persistence, JournalRecord, IndexSpec } from './persistence/types.js';

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
  const host = opts.host ?? '127.0.0.1';
  const log = (msg: string, err?: unknown): void => {
    console.error(`[parley-db] ${msg}${err ? `: ${err instanceof Error ? err.message : String(err)}` : ''}`);
  };
  const persistence = await openPersistence(opts);
  const info = { host, port: 0, setName: 'parley', startedAt: new Date() };
  const engine = new Engine(info, persistence, log);
  if (persistence) engine.load(await persistence.open());
  const wire = new WireServer(engine, log);
  let port: number;
  try {
    port = await wire.listen(opts.port ?? 0, host);
  } catch (e) {
    await persistence?.close();
    throw e;
  }
  info.port = port;
  const ttlTimer = setInterval(() => {
    engine.sweepTtl().catch((e) => log('TTL sweep failed', e));
  }, opts.ttlSweepMs ?? 60_000);
  const sessionTimer = setInterval(() => engine.sweepSessions(), SESSION_SWEEP_MS);
  ttlTimer.unref();
  sessionTimer.unref();
  let closing: Promise<void> | null = null;
  return {
    uri: `mongodb://${host}:${port}/?directConnection=true`,
    port,
    close(): Promise<void> {
      closing ??= (async () => {
        clearInterval(ttlTimer);
        clearInterval(sessionTimer);
        await wire.close();
        await engine.idle();
        engine.shutdown();
        await persistence?.close();
      })();
      return closing;
    },
  };
}
