// The server-side session cache of the embedded engine: every logical session id (lsid) a command carries is
// remembered with its last use, which is what `$listLocalSessions` reports; endSessions forgets it and sessions
// idle past the logical session timeout expire. Must never hold more than the ids (no transaction state here).
import { Binary, type Document } from 'bson';
import { createHash } from 'node:crypto';

export const SESSION_TIMEOUT_MS = 30 * 60 * 1000;

/** The uid MongoDB derives for an unauthenticated user: SHA-256 of the empty user name. */
const ANONYMOUS_UID = new Binary(createHash('sha256').update('').digest(), 0);

export class SessionCache {
  private readonly seen = new Map<string, { id: unknown; lastUse: Date }>();

  touch(key: string, lsid: Document): void {
    this.seen.delete(key);
    this.seen.set(key, { id: lsid.id ?? lsid, lastUse: new Date() });
  }

  end(key: string): void {
    this.seen.delete(key);
  }

  sweep(now = Date.now()): void {
    for (const [k, s] of this.seen) if (now - s.lastUse.getTime() > SESSION_TIMEOUT_MS) this.seen.delete(k);
  }

  /** The documents `$listLocalSessions` produces, oldest use first. */
  list(): Document[] {
    return [...this.seen.values()].map((s) => ({ _id: { id: s.id, uid: ANONYMOUS_UID }, lastUse: s.lastUse }));
  }
}
