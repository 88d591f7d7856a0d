// Connects mongoose to MONGODB_URI, or — when it is unset — starts the embedded engine in-process (on
// <DATA_DIR>/db, or in memory when EMBEDDED_DB_IN_MEMORY=1) and connects to it over a Unix domain socket
// (<DATA_DIR>/run/db.sock, owner-only; a private temp folder in memory mode or when that path is too long).
// With MONGODB_URI set, the embedded engine is never loaded. Must never hold application logic nor give the
// embedded engine a TCP port (it has no authentication).
import { join } from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';

export interface Database {
  connection: Connection;
  /** Where the data lives, for logs: the URI without credentials, or the embedded engine's folder. */
  description: string;
  close(): Promise<void>;
}

export async function connectDatabase(config: Config, logger: Logger): Promise<Database> {
  let uri = config.MONGODB_URI;
  let closeEmbedded: (() => Promise<void>) | undefined;
  let description: string;
  if (uri) {
    description = uri.replace(/\/\/[^@/]*@/, '//***@');
  } else {
    const dbpath = config.EMBEDDED_DB_IN_MEMORY ? undefined : join(config.dataDir, 'db');
    // On its own thread: the engine and the app each get a core.
    const { startEngineThread } = await import('./embedded-thread.js');
    const socketPath = dbpath ? join(config.dataDir, 'run', 'db.sock') : undefined;
    const embedded = await startEngineThread({ dbpath, socketPath }).catch((err: Error) => {
      const holder = /is in use by another process \(pid (\d+)\)/.exec(err.message);
      if (!holder) throw err;
      throw new Error(
        `DATA_DIR ${config.dataDir} is in use by another Parley process (pid ${holder[1]}): stop it, or set ` +
          'DATA_DIR to another folder (or MONGODB_URI to a shared database)',
      );
    });
    uri = embedded.uri;
    closeEmbedded = () => embedded.close();
    description = dbpath ? `embedded engine at ${dbpath}` : 'embedded engine (in memory)';
  }
  try {
    await mongoose.connect(uri, { dbName: config.MONGODB_DB, serverSelectionTimeoutMS: 10_000, autoIndex: false });
    // Build every model's indexes before serving (unique constraints must exist before the first write).
    await Promise.all(Object.values(mongoose.models).map((m) => m.createIndexes()));
  } catch (err) {
    await mongoose.disconnect().catch(() => {});
    await closeEmbedded?.();
    throw err;
  }
  logger.info({ database: description, dbName: config.MONGODB_DB }, 'database connected');
  return {
    connection: mongoose.connection,
    description,
    async close() {
      await mongoose.disconnect();
      await closeEmbedded?.();
    },
  };
}
