// The one permission check: can(user, action, resource?). Routes and sockets ask it; nothing else compares role
// strings. Must never touch the database — callers pass what the resource is.
import { roleCan, type Action, type Role } from '../../../shared/src/index.js';

export interface Actor {
  id: string;
  role: Role;
  active: boolean;
  channelIds: string[];
}

/** What a resource-scoped check needs to know about the thing acted on. */
export interface ResourceRef {
  /** The channel (inbox) a conversation, message or contact view belongs to. */
  channelId?: string;
}

export function can(user: Actor | null | undefined, action: Action, resource?: ResourceRef): boolean {
  if (!user || !user.active) return false;
  if (!roleCan(user.role, action)) return false;
  if (resource?.channelId !== undefined && action.startsWith('conversations:')) {
    return roleCan(user.role, 'conversations:read_all') || user.channelIds.includes(resource.channelId);
  }
  return true;
}

/** True when the user sees conversations of every channel (no membership filter). */
export function seesAllChannels(user: Actor): boolean {
  return can(user, 'conversations:read_all');
}
