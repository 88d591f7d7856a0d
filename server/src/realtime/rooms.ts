// Room policy: which socket.io rooms a user's sockets join, derived only from permissions. The one place that
// decides who may receive what. Must never grant a room without asking auth/permissions.
import { can, seesAllChannels, type Actor } from '../auth/permissions.js';

export const rooms = {
  user: (userId: string) => `user:${userId}`,
  session: (sessionId: string) => `session:${sessionId}`,
  channel: (channelId: string) => `channel:${channelId}`,
  allConversations: 'conversations:all',
  channelAdmins: 'admin:channels',
  review: 'review',
} as const;

/** Permission-derived rooms (not the user/session rooms, which never change for a socket). */
export function policyRooms(user: Actor): string[] {
  if (!user.active) return [];
  const out: string[] = [];
  if (seesAllChannels(user)) out.push(rooms.allConversations);
  else if (can(user, 'conversations:read')) out.push(...user.channelIds.map(rooms.channel));
  if (can(user, 'channels:manage')) out.push(rooms.channelAdmins);
  if (can(user, 'review:manage')) out.push(rooms.review);
  return out;
}

/** Rooms that may see an event about a conversation of this channel. */
export function conversationRooms(channelId: string): string[] {
  return [rooms.channel(channelId), rooms.allConversations];
}

export const isPolicyRoom = (room: string) =>
  room.startsWith('channel:') ||
  room === rooms.allConversations ||
  room === rooms.channelAdmins ||
  room === rooms.review;
