// The User model: staff accounts (admin, supervisor, agent, marketer) with an argon2 password hash.
// Must never expose passwordHash outside auth/ and users/ (users/view.ts strips it).
import { Schema, model, type InferSchemaType, type HydratedDocument } from 'mongoose';
import { ROLES } from '../../../shared/src/index.js';

const userSchema = new Schema(
  {
    email: { type: String, required: true, lowercase: true, trim: true, unique: true },
    name: { type: String, required: true, trim: true },
    role: { type: String, enum: ROLES, required: true },
    passwordHash: { type: String, required: true, select: false },
    active: { type: Boolean, default: true, index: true },
    channelIds: { type: [String], default: [] },
    lastLoginAt: { type: Date, default: null },
    // The user's own new-message alert settings (PATCH /api/users/me).
    alerts: {
      sound: { type: Boolean, default: false },
      desktop: { type: Boolean, default: false },
    },
  },
  { timestamps: true },
);

export type UserRecord = InferSchemaType<typeof userSchema>;
export type UserDoc = HydratedDocument<UserRecord>;
export const UserModel = model('User', userSchema);
