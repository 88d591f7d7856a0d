// A staff account as the API shows it. Must never carry a password hash (the user store never hands one out here).
import type { User as UserView } from '../../../shared/src/index.js';
import type { UserLean } from '../data/users.js';

export function toUserView(u: UserLean): UserView {
  return {
    id: String(u._id),
    email: u.email,
    name: u.name,
    role: u.role as UserView['role'],
    active: u.active,
    channelIds: [...(u.channelIds ?? [])],
    createdAt: (u.createdAt ?? new Date()).toISOString(),
    lastLoginAt: u.lastLoginAt ? u.lastLoginAt.toISOString() : null,
  };
}
