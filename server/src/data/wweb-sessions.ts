// The linked-number session store: whatsapp-web.js RemoteAuth sessions, zipped, in GridFS buckets
// `whatsapp-RemoteAuth-<channelId>` through wwebjs-mongo. Its dataPath pitfall is handled here: wwebjs-mongo's
// save() reads `<session>.zip` from the process's working folder while RemoteAuth writes it under dataPath, so save
// (and an awaited delete) read from dataPath instead. Must never read or write outside dataPath and the bucket.
import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import mongoose from 'mongoose';

const require = createRequire(import.meta.url);

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

