// The console's sections and which roles may open them (role-level checks from shared/roles.ts). The server
// enforces the same permissions; this only decides what to show. Must never be the only guard for data.
import { roleCan, type Role } from '../../shared/src/index.js';

export interface Section {
  path: string;
  label: string;
  allowed(role: Role): boolean;
}

export const SECTIONS: readonly Section[] = [
  { path: '/inbox', label: 'Inbox', allowed: (r) => roleCan(r, 'conversations:read') },
  { path: '/dashboard', label: 'Dashboard', allowed: (r) => roleCan(r, 'analytics:read') },
  {
    path: '/supervision',
    label: 'Supervision',
    allowed: (r) => roleCan(r, 'review:manage') || roleCan(r, 'audit:read'),
  },
  { path: '/admin', label: 'Admin', allowed: (r) => roleCan(r, 'users:manage') },
];

export function sectionsFor(role: Role): Section[] {
  return SECTIONS.filter((s) => s.allowed(role));
}

/** The section a path belongs to ('/admin/users' → Admin), or undefined. */
export function sectionOf(path: string): Section | undefined {
  return SECTIONS.find((s) => path === s.path || path.startsWith(`${s.path}/`));
}

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Admin',
  supervisor: 'Supervisor',
  agent: 'Agent',
  marketer: 'Marketer',
};
