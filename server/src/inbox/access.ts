// Which conversations a user may see, as the channels they may see (a list filter), as a database filter and as a
// check on one record — built only on auth/permissions. Must never decide by role names.
import { can, seesAllChannels } from '../auth/permissions.js';
import type { AuthUser } from '../auth/passport.js';
import { mongoConversations, type ConversationLean, type ConversationStore } from '../data/conversations.js';
import { isId, toId, type Id } from '../data/ids.js';
import { forbidden, notFound } from '../errors.js';

/** The channels whose conversations the user may read; null when they see every channel. */
export function visibleChannelIds(user: AuthUser): Id[] | null {
  if (!can(user, 'conversations:read')) throw forbidden();
  if (seesAllChannels(user)) return null;
  return user.channelIds.filter(isId).map((id) => toId(id));
}

/** Mongo filter restricting conversations to the user's channels (empty for users who see all). */
export function visibleConversationsFilter(user: AuthUser): Record<string, unknown> {
  const ids = visibleChannelIds(user);
  return ids ? { channelId: { $in: ids } } : {};
}

/** Loads a conversation the user may act on, or 404 (a conversation the user may not see does not exist for them). */
export async function loadVisibleConversation(
  user: AuthUser,
  id: string,
  action: 'conversations:read' | 'conversations:reply' | 'conversations:assign' = 'conversations:read',
  conversations: ConversationStore = mongoConversations,
): Promise<ConversationLean> {
  if (!isId(id)) throw notFound('Conversation');
  const conv = await conversations.get(id);
  if (!conv || !can(user, 'conversations:read', { channelId: String(conv.channelId) })) throw notFound('Conversation');
  if (!can(user, action, { channelId: String(conv.channelId) })) throw forbidden();
  return conv;
}
