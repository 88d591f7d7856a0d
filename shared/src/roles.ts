// Roles and the role → permission table (docs/API.md). Shared so the console can show role-aware navigation;
// the server's auth/permissions.ts builds resource-level checks on top of it. Must never import server or client code.
import { z } from 'zod';

export const ROLES = ['admin', 'supervisor', 'agent', 'marketer'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/** Every action a permission check can name. Resource-specific rules (e.g. channel membership) live server-side. */
export const ACTIONS = [
  'conversations:read', // see conversations (agents: only of their channels)
  'conversations:read_all', // see every conversation regardless of channel membership
  'conversations:reply',
  'conversations:assign',
  'labels:manage', // create, rename, recolour and delete conversation labels
  'contacts:reveal', // see real phone numbers / provider ids (with a reason, audited)
  'contacts:export', // data-subject export
  'contacts:erase',
  'review:manage', // supervisor queue: held messages, abuse reports
  'audit:read',
  'audit:verify',
  'analytics:read', // funnel dashboard, aggregate exports
  'campaigns:manage', // campaigns, tracked links
  'users:manage',
  'channels:manage',
  'integrations:manage',
  'templates:manage',
  'settings:manage', // retention and other admin settings
  'metrics:read',
  'sandbox:use', // the simulated customer phone at /sandbox (injects inbound messages, reads replies)
] as const;
export const ActionSchema = z.enum(ACTIONS);
export type Action = z.infer<typeof ActionSchema>;

const ALL: readonly Action[] = ACTIONS;

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Action[]>> = {
  admin: ALL,
  supervisor: [
    'conversations:read',
    'conversations:read_all',
    'conversations:reply',
    'conversations:assign',
    'labels:manage',
    'contacts:reveal',
    'contacts:export',
    'review:manage',
    'audit:read',
    'analytics:read',
  ],
  agent: ['conversations:read', 'conversations:reply', 'conversations:assign'],
  marketer: ['analytics:read', 'campaigns:manage'],
};

/** Role-level check only (no resource). */
export function roleCan(role: Role, action: Action): boolean {
  return ROLE_PERMISSIONS[role].includes(action);
}
