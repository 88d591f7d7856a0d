// Passport local strategy and (de)serialisation. The session keeps only the user id; every request reloads the
// user so role changes and deactivation take effect at once. Must never say whether an email exists.
import passportPkg from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { isId } from '../data/ids.js';
import { mongoUsers } from '../data/users.js';
import { dummyPasswordHash, verifyPassword } from './passwords.js';
import type { Actor } from './permissions.js';

export interface AuthUser extends Actor {
  email: string;
  name: string;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends AuthUser {}
  }
}

export async function loadAuthUser(id: string): Promise<AuthUser | null> {
  if (!isId(id)) return null;
  const u = await mongoUsers.get(id);
  if (!u || !u.active) return null;
  return {
    id: String(u._id),
    email: u.email,
    name: u.name,
    role: u.role as AuthUser['role'],
    active: u.active,
    channelIds: [...(u.channelIds ?? [])],
  };
}

export type PassportInstance = InstanceType<typeof passportPkg.Authenticator>;

export function createPassport(): PassportInstance {
  const passport = new passportPkg.Authenticator();
  passport.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password', session: true }, (email, password, done) => {
      (async () => {
        const u = await mongoUsers.forSignIn(email.trim().toLowerCase());
        const ok = await verifyPassword(u?.passwordHash ?? (await dummyPasswordHash()), password);
        if (!u || !ok || !u.active) return done(null, false);
        await mongoUsers.recordSignIn(u._id);
        return done(null, (await loadAuthUser(String(u._id))) ?? false);
      })().catch(done);
    }),
  );
  passport.serializeUser((user, done) => done(null, (user as AuthUser).id));
  passport.deserializeUser((id: string, done) => {
    loadAuthUser(id).then(
      (u) => done(null, u ?? false),
      (err) => done(err),
    );
  });
  return passport;
}
