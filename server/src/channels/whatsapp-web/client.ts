// Builds the real whatsapp-web.js Client of a linked number: Debian chromium (config CHROMIUM_PATH) with
// sandbox-safe args, RemoteAuth sessions kept in MongoDB through wwebjs-mongo, files under DATA_DIR/wwebjs.
// The wwebjs-mongo dataPath pitfall is handled here: its save() reads `<session>.zip` from the process's working
// folder while RemoteAuth writes it under dataPath, so save (and an awaited delete) read from dataPath instead.
// Must never launch anything itself (initialize() is the session's call) and never write outside the data folder.
import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import mongoose from 'mongoose';
import type { WwebClient } from './session.js';

const require = createRequire(import.meta.url);

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-setuid-sandbox',
  '--disable-dev-shm-usage',
  '--disable-gpu',
  '--no-first-run',
];

export interface ClientPaths {
  /** RemoteAuth's dataPath: zips and the browser profile live here. */
  dataPath: string;
  /** Chromium's --user-data-dir for this channel (RemoteAuth-<channelId> under dataPath). */
  userDataDir: string;
  /** GridFS bucket holding the zipped session. */
  bucket: string;
}

export function clientPaths(dataDir: string, channelId: string): ClientPaths {
  const dataPath = join(dataDir, 'wwebjs');
  return {
    dataPath,
    userDataDir: join(dataPath, `RemoteAuth-${channelId}`),
    bucket: `whatsapp-RemoteAuth-${channelId}`,
  };
}

function gridfs(bucketName: string): mongoose.mongo.GridFSBucket {
  const db = mongoose.connection.db;
  if (!db) throw new Error('database not connected');
  return new mongoose.mongo.GridFSBucket(db, { bucketName });
}

/** wwebjs-mongo's MongoStore with save/delete fixed (zip read from dataPath; deletions awaited). */
export function createSessionStore(dataPath: string) {
  const { MongoStore } = require('wwebjs-mongo') as {
    MongoStore: new (o: { mongoose: typeof mongoose }) => {
      sessionExists(o: { session: string }): Promise<boolean>;
      extract(o: { session: string; path: string }): Promise<void>;
    };
  };
  const inner = new MongoStore({ mongoose });
  return {
    sessionExists: (o: { session: string }) => inner.sessionExists(o),
    extract: (o: { session: string; path: string }) => inner.extract(o),
    async save(o: { session: string }) {
      const bucket = gridfs(`whatsapp-${o.session}`);
      const name = `${o.session}.zip`;
      const before = await bucket.find({ filename: name }).toArray();
      await new Promise<void>((resolve, reject) => {
        const upload = bucket.openUploadStream(name);
        createReadStream(join(dataPath, name))
          .on('error', reject)
          .pipe(upload)
          .on('error', reject)
          .on('finish', () => resolve());
      });
      for (const f of before) await bucket.delete(f._id).catch(() => {});
    },
    async delete(o: { session: string }) {
      await deleteStoredSession(`whatsapp-${o.session}`);
    },
  };
}

/** Removes a stored (zipped) session from GridFS. */
export async function deleteStoredSession(bucketName: string): Promise<void> {
  const bucket = gridfs(bucketName);
  const files = await bucket.find({}).toArray();
  for (const f of files) await bucket.delete(f._id).catch(() => {});
}

export function createRealClient(opts: { channelId: string; dataDir: string; chromiumPath: string }): WwebClient {
  const { Client, RemoteAuth } = require('whatsapp-web.js') as typeof import('whatsapp-web.js');
  const paths = clientPaths(opts.dataDir, opts.channelId);
  const client = new Client({
    authStrategy: new RemoteAuth({
      clientId: opts.channelId,
      dataPath: paths.dataPath,
      store: createSessionStore(paths.dataPath),
      backupSyncIntervalMs: 300_000,
    }),
    puppeteer: { executablePath: opts.chromiumPath, headless: true, args: CHROMIUM_ARGS },
    webVersionCache: { type: 'local', path: join(paths.dataPath, 'cache') },
    takeoverOnConflict: true,
  });
  return client as unknown as WwebClient;
}
