// `npm run audit:verify` against the configured database: refuses (with the engine's lock message) to open a data
// folder a running server holds, reports an intact chain after the server stops, and a tampered one (exit 1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer } from '../../helpers/server.js';
import { Session } from '../../helpers/http.js';
import { AuditEntryModel } from '../../../server/src/models/audit-entry.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const cli = (dataDir: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'server/src/policy/audit-verify-cli.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      MONGODB_URI: '',
      EMBEDDED_DB_IN_MEMORY: '0',
      MONGODB_DB: 'parley_cli',
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
    },
    encoding: 'utf8',
    timeout: 60_000,
  });

test(
  'audit:verify: lock refused while the server runs, OK after, TAMPERED after an edit',
  { skip: Boolean(process.env.MONGODB_URI) },
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-audit-cli-'));
    const env = { DATA_DIR: dataDir, EMBEDDED_DB_IN_MEMORY: '0', MONGODB_DB: 'parley_cli' };
    let srv = await startTestServer({ env });
    const s = new Session(srv.baseUrl);
    assert.equal((await s.login(srv.admin.email, srv.admin.password)).status, 200);
    assert.equal((await s.login(srv.admin.email, 'not-the-password')).status, 401);

    const locked = cli(dataDir);
    assert.equal(locked.status, 2, locked.stdout + locked.stderr);
    assert.match(locked.stderr, /lock|in use|another process|held/i);
    await srv.close();

    const ok = cli(dataDir);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /audit trail OK: \d+ entries/);

    srv = await startTestServer({ env });
    await AuditEntryModel.collection.updateOne({ seq: 1 }, { $set: { action: 'auth.logout' } });
    await srv.close();
    const bad = cli(dataDir);
    assert.equal(bad.status, 1, bad.stdout + bad.stderr);
    assert.match(bad.stderr, /TAMPERED at entry 1/);
  },
);
