// Test setup shared by the engine's driver tests: one in-memory engine and a connected official mongodb driver
// for the whole file (opened in before, closed in after). Must never share an engine between test files.
import { after, before } from 'node:test';
import { MongoClient, type Db } from 'mongodb';
import { startEmbeddedServer, type EmbeddedServer } from '../../src/index.js';

export interface DriverEngine {
  server: EmbeddedServer;
  client: MongoClient;
  db: Db;
}

/**
 * An engine + driver for this test file, using the database `dbName`; fields are set once `before` ran, then
 * `ready` (the file's own setup: collections, seed documents) runs.
 */
export function useDriver(dbName: string, ready?: (engine: DriverEngine) => Promise<void> | void): DriverEngine {
  const engine = {} as DriverEngine;
  before(async () => {
    engine.server = await startEmbeddedServer();
    engine.client = await MongoClient.connect(engine.server.uri);
    engine.db = engine.client.db(dbName);
    await ready?.(engine);
  });
  after(async () => {
    await engine.client?.close();
    await engine.server?.close();
  });
  return engine;
}
