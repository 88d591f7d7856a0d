// The database's health as the readiness probe sees it: connected, and answering a ping. Must never change
// anything in the database.
import type { Connection } from 'mongoose';

/** Resolves when the database is connected and answers a ping; rejects otherwise. */
export async function pingDatabase(connection: Connection): Promise<void> {
  if (connection.readyState !== 1 || !connection.db) throw new Error('not connected');
  await connection.db.admin().ping();
}
