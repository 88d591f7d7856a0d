// The user store: staff accounts (users). Password hashes leave this store only through the one sign-in read
// that asks for them. Records leave as plain lean objects. Must never hash or check passwords (auth/ does), never
// decide permissions, and never return a hash from any other call.
import type { Id } from './ids.js';
import { UserModel, type UserRecord } from '../models/user.js';

export type UserLean = Omit<UserRecord, 'passwordHash'> & { _id: Id };
export type NewUser = Pick<UserRecord, 'email' | 'name' | 'role' | 'passwordHash' | 'channelIds'>;
export type UserChange = Partial<Pick<UserRecord, 'name' | 'role' | 'active' | 'channelIds' | 'passwordHash'>>;
export type AlertsChange = { sound?: boolean; desktop?: boolean };

export interface UserStore {
  /** Every user, oldest first. */
  list(): Promise<UserLean[]>;
  /** Active users, by name. */
  active(): Promise<UserLean[]>;
  /** Whether any user exists. */
  any(): Promise<boolean>;
  /** Whether a user has this email. */
  emailTaken(email: string): Promise<boolean>;
  /** Creates a user; rejects with a duplicate-key error when the email is taken meanwhile. */
  create(user: NewUser): Promise<UserLean>;
  /** A user by id, or null. */
  get(id: Id | string): Promise<UserLean | null>;
  /** The names of users by ids (missing ones left out). */
  names(ids: Array<Id | string>): Promise<Array<{ _id: Id; name: string }>>;
  /** How many active admins there are. */
  activeAdmins(): Promise<number>;
  /** Applies a change (validated as the schema says). */
  update(id: Id, change: UserChange): Promise<void>;
  /** Sets the given alert settings of one user (the fields left out stay as they are). */
  setAlerts(id: Id | string, alerts: AlertsChange): Promise<void>;
  /** The user of a sign-in email with its password hash, or null. */
  forSignIn(email: string): Promise<(UserLean & { passwordHash: string }) | null>;
  /** Records a successful sign-in. */
  recordSignIn(id: Id): Promise<void>;
}

const withoutHash = (u: UserRecord & { _id: Id }): UserLean => {
  const { passwordHash: _hash, ...rest } = u;
  return rest;
};

export const mongoUsers: UserStore = {
  list: async () => (await UserModel.find().sort({ createdAt: 1 }).lean()) as UserLean[],
  active: async () => (await UserModel.find({ active: true }).sort({ name: 1 }).lean()) as UserLean[],
  any: async () => (await UserModel.exists({})) !== null,
  emailTaken: async (email) => (await UserModel.exists({ email })) !== null,
  create: async (user) => withoutHash((await UserModel.create(user)).toObject() as UserRecord & { _id: Id }),
  get: async (id) => (await UserModel.findById(id).lean()) as UserLean | null,
  names: async (ids) =>
    (await UserModel.find({ _id: { $in: ids } })
      .select('name')
      .lean()) as Array<{ _id: Id; name: string }>,
  activeAdmins: () => UserModel.countDocuments({ role: 'admin', active: true }),
  update: async (id, change) => {
    await UserModel.updateOne({ _id: id }, { $set: change }, { runValidators: true });
  },
  setAlerts: async (id, alerts) => {
    const set: Record<string, boolean> = {};
    if (alerts.sound !== undefined) set['alerts.sound'] = alerts.sound;
    if (alerts.desktop !== undefined) set['alerts.desktop'] = alerts.desktop;
    await UserModel.updateOne({ _id: id }, { $set: set }, { runValidators: true });
  },
  forSignIn: async (email) =>
    (await UserModel.findOne({ email }).select('+passwordHash').lean()) as (UserLean & { passwordHash: string }) | null,
  recordSignIn: async (id) => {
    await UserModel.updateOne({ _id: id }, { $set: { lastLoginAt: new Date() } });
  },
};
