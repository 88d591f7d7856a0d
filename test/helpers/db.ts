// The one switch between the embedded engine and a real MongoDB for tests: with MONGODB_URI set, tests use that
// server and a database name unique to the caller (dropped again by close()); otherwise an in-memory embedded engine
// is started on a private Unix socket (or on `dbpath` when asked). Must never hold test logic, and never drop anything on a
// real server but the database it named itself.
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';

export interface TestDatabase {
  /** Connection string (pass `dbName` separately, e.g. `mongoose.createConnection(uri, { dbName })`). */
  uri: string;
  /** A database name unique to this call. */
  dbName: string;
  /** True when running on the embedded engine (false: the real MongoDB of MONGODB_URI). */
  embedded: boolean;
  /** Drops the database (real MongoDB) or stops the engine (embedded). */
  close(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Readable prefix for the database name (default "test"). */
  prefix?: string;
  /** Embedded engine only: keep data in this folder instead of memory. */
  dbpath?: string;
}

export async function startTestDatabase(opts: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const prefix = (opts.prefix ?? 'test').replace(/[^A-Za-z0-9_]/g, '_').slice(0, 24);
  const dbName = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const external = process.env.MONGODB_URI;
  if (external) {
    return {
      uri: external,
      dbName,
      embedded: false,
      async close() {
        const client = new MongoClient(external, { serverSelectionTimeoutMS: 10_000 });
        try {
          await client.connect();
          await client.db(dbName).dropDatabase();
        } finally {
          await client.close();
        }
      },
    };
  }
  const { startEmbeddedServer } = await import('@parley/embedded-mongo');
  const server = await startEmbeddedServer({ dbpath: opts.dbpath });
  return { uri: server.uri, dbName, embedded: true, close: () => server.close() };
}
