// Agent actions on a conversation: assign / transfer / unassign, close, reopen, mark read — each checked through
// permissions, persisted, then published as conversation.updated. Must never emit socket events directly.
import type { Assignee, Conversation } from '../../../shared/src/index.js';
import { can } from '../auth/permissions.js';
import { loadAuthUser, type AuthUser } from '../auth/passport.js';
import type { EventBus } from '../events/bus.js';
import { refused } from '../errors.js';
import { mongoConversations, type ConversationStore } from '../data/conversations.js';
import { toId } from '../data/ids.js';
import { mongoUsers, type UserStore } from '../data/users.js';
import { loadVisibleConversation } from './access.js';
import { conversationView } from './conversation-queries.js';
import { publishConversation } from './conversations.js';

export class ConversationActions {
  constructor(
    readonly bus: EventBus,
    private readonly stores: { conversations: ConversationStore; users: UserStore } = {
      conversations: mongoConversations,
      users: mongoUsers,
    },
  ) {}

  async assign(user: AuthUser, id: string, assigneeId: string | null): Promise<Conversation> {
    const conv = await loadVisibleConversation(user, id, 'conversations:assign', this.stores.conversations);
    const channelId = String(conv.channelId);
    if (assigneeId !== null) {
      const target = await loadAuthUser(assigneeId);
      if (!target || !can(target, 'conversations:reply', { channelId })) {
        throw refused(
          'invalid_assignee',
          'That user cannot work on this conversation (inactive, or not a member of its channel).',
        );
      }
    }
    return this.update(id, { assigneeId: assigneeId ? toId(assigneeId) : null });
  }

  async close(user: AuthUser, id: string): Promise<Conversation> {
    await loadVisibleConversation(user, id, 'conversations:reply', this.stores.conversations);
    return this.update(id, { status: 'closed', closedAt: new Date(), unreadCount: 0 });
  }

  async reopen(user: AuthUser, id: string): Promise<Conversation> {
    await loadVisibleConversation(user, id, 'conversations:reply', this.stores.conversations);
    return this.update(id, { status: 'open', closedAt: null });
  }

  async markRead(user: AuthUser, id: string): Promise<Conversation> {
    const conv = await loadVisibleConversation(user, id, 'conversations:read', this.stores.conversations);
    if (conv.unreadCount === 0) return (await conversationView(id))!;
    return this.update(id, { unreadCount: 0 });
  }

  /** Users a conversation can be assigned to: active, allowed to reply on its channel. */
  async assignees(user: AuthUser, id: string): Promise<Assignee[]> {
    const conv = await loadVisibleConversation(user, id, 'conversations:assign', this.stores.conversations);
    const channelId = String(conv.channelId);
    const users = await this.stores.users.active();
    return users
      .filter((u) =>
        can({ id: String(u._id), role: u.role, active: u.active, channelIds: u.channelIds }, 'conversations:reply', {
          channelId,
        }),
      )
      .map((u) => ({ id: String(u._id), name: u.name, role: u.role }));
  }

  private async update(id: string, set: Record<string, unknown>): Promise<Conversation> {
    await this.stores.conversations.set(id, set);
    return (await publishConversation(this, id))!;
  }
}
