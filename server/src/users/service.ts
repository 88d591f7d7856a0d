// Staff accounts: list, create, update (role, channels, name, password, active) and the first admin. Publishes
// user events; ends a deactivated user's sessions. Works through the user store and the session store it is
// given. Must never return password hashes, and must never leave the workspace without an active admin.
import { randomBytes } from 'node:crypto';
import type { CreateUserBody, UpdateUserBody, User } from '../../../shared/src/index.js';
import { hashPassword } from '../auth/passwords.js';
import { isId } from '../data/ids.js';
import type { UserSessions } from '../data/sessions.js';
import { isDuplicateKey } from '../data/errors.js';
import { mongoUsers, type UserChange, type UserStore } from '../data/users.js';
import type { EventBus } from '../events/bus.js';
import { conflict, notFound } from '../errors.js';
import { recordAudit, type AuditInput } from '../policy/audit.js';
import { toUserView } from './view.js';

export class UserService {
  constructor(
    private readonly bus: EventBus,
    private readonly sessions: UserSessions,
    private readonly users: UserStore = mongoUsers,
  ) {}

  async list(): Promise<User[]> {
    const users = await this.users.list();
    return users.map(toUserView);
  }

  async create(body: CreateUserBody, by?: AuditInput['actor']): Promise<User> {
    if (await this.users.emailTaken(body.email)) {
      throw conflict('email_taken', `A user with email ${body.email} already exists`);
    }
    try {
      const u = await this.users.create({
        email: body.email,
        name: body.name,
        role: body.role,
        passwordHash: await hashPassword(body.password),
        channelIds: body.channelIds ?? [],
      });
      this.bus.publish('user.created', { userId: String(u._id), role: body.role });
      if (by)
        await recordAudit({
          actor: by,
          action: 'user.created',
          target: { type: 'user', id: String(u._id) },
          details: { role: body.role, channelIds: body.channelIds ?? [] },
        });
      return toUserView(u);
    } catch (err) {
      if (isDuplicateKey(err)) {
        throw conflict('email_taken', `A user with email ${body.email} already exists`);
      }
      throw err;
    }
  }

  async update(id: string, body: UpdateUserBody, by?: AuditInput['actor']): Promise<User> {
    if (!isId(id)) throw notFound('User');
    const found = await this.users.get(id);
    if (!found) throw notFound('User');
    const u = { ...found };
    const losesAdmin =
      u.role === 'admin' && u.active && (body.active === false || (body.role && body.role !== 'admin'));
    if (losesAdmin && (await this.users.activeAdmins()) <= 1) {
      throw conflict('last_admin', 'This is the last active admin; make another user admin first');
    }
    const changed: string[] = [];
    const change: UserChange = {};
    const set = <K extends 'name' | 'role' | 'active'>(field: K, value: (typeof u)[K] | undefined) => {
      if (value === undefined || value === u[field]) return;
      u[field] = value;
      change[field] = value;
      changed.push(field);
    };
    set('name', body.name);
    set('role', body.role);
    set('active', body.active);
    if (body.channelIds !== undefined) {
      u.channelIds = [...new Set(body.channelIds)];
      change.channelIds = u.channelIds;
      changed.push('channelIds');
    }
    if (body.password !== undefined) {
      change.passwordHash = await hashPassword(body.password);
      changed.push('password');
    }
    if (changed.length) await this.users.update(u._id, change);
    const userId = String(u._id);
    if (changed.includes('password') || (changed.includes('active') && !u.active)) {
      await this.sessions.destroyFor(userId);
    }
    if (changed.includes('active') && !u.active) this.bus.publish('user.deactivated', { userId });
    const audited = changed.filter((c) => c === 'role' || c === 'active' || c === 'channelIds' || c === 'password');
    if (by && audited.length) {
      const details: Record<string, unknown> = { changed: audited };
      if (audited.includes('role')) details.role = u.role;
      if (audited.includes('active')) details.active = u.active;
      if (audited.includes('channelIds')) details.channelIds = [...u.channelIds];
      await recordAudit({ actor: by, action: 'user.updated', target: { type: 'user', id: userId }, details });
    }
    if (changed.length) {
      this.bus.publish('user.updated', {
        userId,
        role: u.role as User['role'],
        channelIds: [...u.channelIds],
        active: u.active,
        changed,
      });
    }
    return toUserView(u);
  }

  /**
   * Sets a user's password (an admin, or the shell's reset for a lost password): ends every session and live
   * socket of the user (through update) and audits `user.password_reset`, never the password.
   */
  async resetPassword(id: string, password: string, by: AuditInput['actor']): Promise<User> {
    const user = await this.update(id, { password });
    await recordAudit({ actor: by, action: 'user.password_reset', target: { type: 'user', id: user.id }, details: {} });
    return user;
  }

  /** The id of the user with this email (lower-cased), or null. */
  async idByEmail(email: string): Promise<string | null> {
    const u = await this.users.forSignIn(email.trim().toLowerCase());
    return u ? String(u._id) : null;
  }

  /**
   * First start: with no users, create the first admin from ADMIN_EMAIL/ADMIN_PASSWORD, or generate a password.
   * Returns the credentials to print when a password was generated (printed once; never stored in clear).
   */
  async ensureFirstAdmin(
    email: string | undefined,
    password: string | undefined,
  ): Promise<{ email: string; password?: string; created: boolean }> {
    if (await this.users.any()) {
      return { email: email ?? '', created: false };
    }
    const adminEmail = email ?? 'admin@parley.local';
    const generated = password ? undefined : randomBytes(12).toString('base64url');
    await this.create({ email: adminEmail, name: 'Administrator', role: 'admin', password: password ?? generated! });
    return { email: adminEmail, password: generated, created: true };
  }
}
