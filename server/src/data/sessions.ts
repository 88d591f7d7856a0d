// The browser session store's one domain call: ending every stored session of a user (the `sessions` collection
// connect-mongo writes, kept unstringified so it can be queried). Must never read or change a session's contents.
import type { Connection } from 'mongoose';

export const SESSION_COLLECTION = 'sessions';

export interface UserSessions {
  /** Deletes every stored session of a user; answers how many there were. */
  destroyFor(userId: string): Promise<number>;
}

export function mongoUserSessions(connection: Connection): UserSessions {
  return {
    async destroyFor(userId) {
      const res = await connection.collection(SESSION_COLLECTION).deleteMany({ 'session.passport.user': userId });
      return res.deletedCount;
    },
  };
}
