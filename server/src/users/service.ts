// Staff accounts: list, create, update (role, channels, name, password, active) and the first admin. Publishes
// user events; ends a deactivated user's sessions. Must never return password hashes, and must never leave the
// workspace without an active admin.
import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { CreateUserBody, UpdateUserBody, User } from '../../../shared/src/index.js';
import { UserModel, toUserView } from '../models/user.js';
import { hashPassword } from '../auth/passwords.js';
import { destroyUserSessions } from '../auth/session.js';
import type { EventBus } from '../events/bus.js';
import { conflict, notFound } from '../errors.js';
import { recordAudit, type AuditInput } from '../policy/audit.js';

export class UserService {
  constructor(
    private readonly bus: EventBus,
    private readonly connection: Connection,
  ) {}

  async list(): Promise<User[]> {
    const users = await UserModel.find().sort({ createdAt: 1 }).lean();
    return users.map(toUserView);
  }

  async create(body: CreateUserBody, by?: AuditInput['actor']): Promise<User> {
    if (await UserModel.exists({ email: body.email })) {
      throw conflict('email_taken', `A user with email ${body.email} already exists`);
    }
    try {
      const u = await UserModel.create({
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
      if ((err as { code?: number }).code === 11000) {
        throw conflict('email_taken', `A user with email ${body.email} already exists`);
      }
      throw err;
    }
  }

  async update(id: string, body: UpdateUserBody, by?: AuditInput['actor']): Promise<User> {
    if (!/^[a-f0-9]{24}$/i.test(id)) throw notFound('User');
    const u = await UserModel.findById(id);
    if (!u) throw notFound('User');
    const losesAdmin =
      u.role === 'admin' && u.active && (body.active === false || (body.role && body.role !== 'admin'));
    if (losesAdmin && (await UserModel.countDocuments({ role: 'admin', active: true })) <= 1) {
      throw conflict('last_admin', 'This is the last active admin; make another user admin first');
    }
    const changed: string[] = [];
    const set = <K extends 'name' | 'role' | 'active'>(field: K, value: (typeof u)[K] | undefined) => {
      if (value === undefined || value === u[field]) return;
      u[field] = value;
      changed.push(field);
    };
    set('name', body.name);
    set('role', body.role);
    set('active', body.active);
    if (body.channelIds !== undefined) {
      u.channelIds = [...new Set(body.channelIds)];
      changed.push('channelIds');
    }
    if (body.password !== undefined) {
      u.passwordHash = await hashPassword(body.password);
      changed.push('password');
    }
    await u.save();
    const userId = String(u._id);
    if (changed.includes('password') || (changed.includes('active') && !u.active)) {
      await destroyUserSessions(this.connection, userId);
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
   * First start: with no users, create the first admin from ADMIN_EMAIL/ADMIN_PASSWORD, or generate a password.
   * Returns the credentials to print when a password was generated (printed once; never stored in clear).
   */
  async ensureFirstAdmin(
    email: string | undefined,
    password: string | undefined,
  ): Promise<{ email: string; password?: string; created: boolean }> {
    if (await UserModel.exists({})) {
      return { email: email ?? '', created: false };
    }
    const adminEmail = email ?? 'admin@parley.local';
    const generated = password ? undefined : randomBytes(12).toString('base64url');
    await this.create({ email: adminEmail, name: 'Administrator', role: 'admin', password: password ?? generated! });
    return { email: adminEmail, password: generated, created: true };
  }
}
