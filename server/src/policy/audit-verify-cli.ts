// `npm run audit:verify`: verifies the audit trail's hash chain against the configured database (MONGODB_URI, or
// the embedded engine on DATA_DIR/db). Exits 0 when intact, 1 when tampered, 2 when it could not run. Must never
// modify the trail, and never start a second engine on a folder a running server holds (the engine's lock refuses
// and its message is printed).
import 'dotenv/config';
import { ConfigError, loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { connectDatabase } from '../db/connect.js';
import { verifyAuditTrail } from './audit-verify.js';

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' });
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`audit:verify cannot start. ${err.message}`);
      return 2;
    }
    throw err;
  }
  let db;
  try {
    db = await connectDatabase(config, createLogger(config));
  } catch (err) {
    console.error(`audit:verify could not open the database: ${(err as Error).message}`);
    if (!config.MONGODB_URI) {
      console.error(
        '(With the embedded engine, run it while the server is stopped, or point MONGODB_URI at a shared database.)',
      );
    }
    return 2;
  }
  try {
    const r = await verifyAuditTrail();
    if (r.ok) {
      console.log(`audit trail OK: ${r.entries} entries, chain intact (${db.description})`);
      return 0;
    }
    const b = r.firstBadEntry!;
    console.error(
      `audit trail TAMPERED at entry ${b.seq ?? '?'} (id ${b.id}): ${b.reason}. ${r.entries} entries checked.`,
    );
    return 1;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error('audit:verify failed:', err);
    process.exit(2);
  },
);
