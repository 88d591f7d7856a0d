// RemoteAuth session persistence through wwebjs-mongo: the zip RemoteAuth writes under its dataPath is saved to
// GridFS (the known pitfall: wwebjs-mongo's own save reads it from the working folder), found again, extracted
// byte for byte, replaced on the next save, and deleted on logout.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createSessionStore } from '../../../server/src/channels/whatsapp-web/client.js';

let srv: TestServer;
before(async () => {
  srv = await startTestServer();
});
after(() => srv.close());

test('save reads the zip from dataPath (not the working folder); extract, replace and delete work', async () => {
  const dataPath = mkdtempSync(join(tmpdir(), 'wweb-store-'));
  const store = createSessionStore(dataPath);
  const session = 'RemoteAuth-0123456789abcdef01234567';
  assert.equal(await store.sessionExists({ session }), false);

  writeFileSync(join(dataPath, `${session}.zip`), Buffer.from('PK first session bytes'));
  await store.save({ session });
  assert.equal(await store.sessionExists({ session }), true);

  writeFileSync(join(dataPath, `${session}.zip`), Buffer.from('PK second session bytes'));
  await store.save({ session });
  const files = await mongoose.connection.db!.collection(`whatsapp-${session}.files`).countDocuments();
  assert.equal(files, 1, 'the previous backup is replaced');

  const out = join(dataPath, 'restored.zip');
  await store.extract({ session, path: out });
  assert.equal(readFileSync(out, 'utf8'), 'PK second session bytes');

  await store.delete({ session });
  assert.equal(await store.sessionExists({ session }), false);
});
