// Which conversations a user may see, as a database filter and as a check on one record — built only on
// auth/permissions. Must never decide by role names.
import { Types } from 'mongoose';
import { can, seesAllChannels } from '../auth/permissions.js';
import type { AuthUser } from '../auth/passport.js';
import { forbidden, notFound } from '../errors.js';
import { ConversationModel, type ConversationDoc } from '../models/conversation.js';

const isObjectId = (s: string) => /^[a-f0-9]{24}$/i.test(s);

/** Mongo filter restricting conversations to the user's channels (empty for users who see all). */
export function visibleConversationsFilter(user: AuthUser): Record<string, unknown> {
  if (!can(user, 'conversations:read')) throw forbidden();
  if (seesAllChannels(user)) return {};
  return { channelId: { $in: user.channelIds.filter(isObjectId).map((id) => new Types.ObjectId(id)) } };
}

/** Loads a conversation the user may act on, or 404 (a conversation the user may not see does not exist for them). */
export async function loadVisibleConversation(
  user: AuthUser,
  id: string,
  action: 'conversations:read' | 'conversations:reply' | 'conversations:assign' = 'conversations:read',
): Promise<ConversationDoc> {
  if (!isObjectId(id)) throw notFound('Conversation');
  const conv = await ConversationModel.findById(id);
  if (!conv || !can(user, 'conversations:read', { channelId: String(conv.channelId) })) throw notFound('Conversation');
  if (!can(user, action, { channelId: String(conv.channelId) })) throw forbidden();
  return conv;
}
