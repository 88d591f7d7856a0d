// The database's health as the readiness probe sees it: connected, answering a ping, and — for the embedded
// engine — accepting writes (after a failed journal write it refuses them until a probe write succeeds; ping still
// answers, so serverStatus's `embedded.writable` is what tells). Must never change anything in the database.
import type { Connection } from 'mongoose';

export class DatabaseNotWritable extends Error {
  constructor(readonly reason: string) {
    super(`The database refuses writes: ${reason}`);
    this.name = 'DatabaseNotWritable';
  }
}

/** Resolves when the database is connected and answers a ping (and, embedded, accepts writes); rejects otherwise. */
export async function pingDatabase(connection: Connection, opts: { embedded?: boolean } = {}): Promise<void> {
  if (connection.readyState !== 1 || !connection.db) throw new Error('not connected');
  const admin = connection.db.admin();
  if (!opts.embedded) {
    await admin.ping();
    return;
  }
  // serverStatus answers only when the engine is reachable, so it stands in for the ping.
  const status = await admin.command({ serverStatus: 1 });
  const engine = status.embedded as { writable?: boolean; writeError?: string } | undefined;
  if (engine && engine.writable === false) throw new DatabaseNotWritable(engine.writeError ?? 'a journal write failed');
}
