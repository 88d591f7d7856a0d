// Browser sessions: express-session stored in MongoDB (connect-mongo), shared by HTTP and socket.io handshakes.
// Cookie httpOnly + SameSite=Lax (+ Secure in production). Must never store anything but ids and the CSRF token
// in a session.
import session from 'express-session';
import { MongoStore } from 'connect-mongo';
import type { Connection } from 'mongoose';
import type { Config } from '../config.js';
import { SESSION_COLLECTION, mongoUserSessions } from '../data/sessions.js';

export const SESSION_COOKIE = 'parley.sid';
export { SESSION_COLLECTION };

declare module 'express-session' {
  interface SessionData {
    csrfToken?: string;
    passport?: { user?: string };
  }
}

export interface Sessions {
  middleware: ReturnType<typeof session>;
  store: MongoStore;
}

export function createSessions(config: Config, connection: Connection): Sessions {
  const store = MongoStore.create({
    client: connection.getClient(),
    dbName: connection.db?.databaseName ?? config.MONGODB_DB,
    collectionName: SESSION_COLLECTION,
    stringify: false, // sessions stay queryable, so a user's sessions can be ended on deactivation
    ttl: config.SESSION_MAX_AGE_HOURS * 3600,
    autoRemove: 'native',
    touchAfter: 60,
  });
  const middleware = session({
    name: SESSION_COOKIE,
    secret: config.SESSION_SECRET,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    proxy: config.TRUST_PROXY !== false ? true : undefined,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.NODE_ENV === 'production',
      maxAge: config.SESSION_MAX_AGE_HOURS * 3600 * 1000,
    },
  });
  return { middleware, store };
}

/** Deletes every stored session of a user (deactivation, password change). */
export function destroyUserSessions(connection: Connection, userId: string): Promise<number> {
  return mongoUserSessions(connection).destroyFor(userId);
}
