// `npm run user:reset-password -- <email>`: sets a new random password for a staff user (a lost admin password)
// on the configured database (MONGODB_URI, or the embedded engine on DATA_DIR/db), prints it once, ends the
// user's sessions and audits `user.password_reset` (actor: system). Exits 0 on success, 1 for an unknown email,
// 2 when it could not run. Must never store or log the password in clear, and never start a second engine on a
// folder a running server holds (the engine's lock refuses and its message is printed).
import 'dotenv/config';
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { connectDatabase } from '../db/connect.js';
import { mongoUserSessions } from '../data/sessions.js';
import { EventBus } from '../events/bus.js';
import { UserService } from './service.js';

async function main(email: string | undefined): Promise<number> {
  if (!email) {
    console.error('usage: npm run user:reset-password -- <email>');
    return 2;
  }
  let config;
  try {
    config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' });
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`user:reset-password cannot start. ${err.message}`);
      return 2;
    }
    throw err;
  }
  let db;
  try {
    db = await connectDatabase(config, createLogger(config));
  } catch (err) {
    console.error(`user:reset-password could not open the database: ${(err as Error).message}`);
    if (!config.MONGODB_URI) console.error('(With the embedded engine, run it while the server is stopped.)');
    return 2;
  }
  try {
    const users = new UserService(new EventBus(() => {}), mongoUserSessions(db.connection));
    const id = await users.idByEmail(email);
    if (!id) {
      console.error(`No user with the email ${email}.`);
      return 1;
    }
    const password = randomBytes(15).toString('base64url');
    await users.resetPassword(id, password, { type: 'system', id: 'user:reset-password', name: 'shell' });
    console.log(
      [
        '================================================================',
        ` New password for ${email} — shown only this once:`,
        `   ${password}`,
        ' Every session of this user was ended.',
        '================================================================',
      ].join('\n'),
    );
    return 0;
  } finally {
    await db.close();
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (err) => {
    console.error('user:reset-password failed:', err);
    process.exit(2);
  },
);
