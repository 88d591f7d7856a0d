// Builds the real whatsapp-web.js Client of a linked number: Debian chromium (config CHROMIUM_PATH) with
// sandbox-safe args, RemoteAuth sessions kept in MongoDB by the linked-number session store
// (data/wweb-sessions.ts), files under DATA_DIR/wwebjs. Must never launch anything itself (initialize() is the
// session's call) and never write outside the data folder.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createSessionStore, deleteStoredSession } from '../../data/wweb-sessions.js';
import type { WwebClient } from './session.js';

export { createSessionStore, deleteStoredSession };

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
