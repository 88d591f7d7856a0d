// Auth and users: request bodies and responses (docs/API.md "Auth", "Users"). Must never import server or client code.
import { z } from 'zod';
import { RoleSchema } from './roles.js';

export const EmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: 'must be a valid email address' }));
export const PasswordSchema = z.string().min(10, 'must be at least 10 characters').max(200);

/** POST /api/users/:id/password (admins): the user's new password. */
export const ResetPasswordBodySchema = z.strictObject({ password: PasswordSchema });
export type ResetPasswordBody = z.infer<typeof ResetPasswordBodySchema>;

export const LoginBodySchema = z.strictObject({
  email: z.string().trim().toLowerCase().min(3).max(254),
  password: z.string().min(1).max(200),
});
export type LoginBody = z.infer<typeof LoginBodySchema>;

export const UserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: RoleSchema,
  active: z.boolean(),
  channelIds: z.array(z.string()),
  createdAt: z.string(),
  lastLoginAt: z.string().nullable(),
});
export type User = z.infer<typeof UserSchema>;

export const SessionUserSchema = UserSchema.pick({ id: true, email: true, name: true, role: true });
export type SessionUser = z.infer<typeof SessionUserSchema>;

export const LoginResponseSchema = z.object({ user: SessionUserSchema, csrfToken: z.string() });
export type LoginResponse = z.infer<typeof LoginResponseSchema>;
export const MeResponseSchema = LoginResponseSchema;
export type MeResponse = LoginResponse;

export const CreateUserBodySchema = z.strictObject({
  email: EmailSchema,
  name: z.string().trim().min(1).max(120),
  role: RoleSchema,
  password: PasswordSchema,
  channelIds: z.array(z.string().min(1)).max(500).optional(),
});
export type CreateUserBody = z.infer<typeof CreateUserBodySchema>;

export const UpdateUserBodySchema = z
  .strictObject({
    role: RoleSchema.optional(),
    active: z.boolean().optional(),
    channelIds: z.array(z.string().min(1)).max(500).optional(),
    name: z.string().trim().min(1).max(120).optional(),
    password: PasswordSchema.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'at least one field to change is required' });
export type UpdateUserBody = z.infer<typeof UpdateUserBodySchema>;

export const UserListResponseSchema = z.object({ items: z.array(UserSchema) });
export type UserListResponse = z.infer<typeof UserListResponseSchema>;
