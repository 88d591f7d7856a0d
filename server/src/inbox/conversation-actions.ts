// Agent actions on a conversation: assign / transfer / unassign, close, reopen, pending, snooze, labels, mark read —
// each checked through permissions, persisted, then published as conversation.updated. Must never emit socket
// events directly.
import type { Assignee, Conversation } from '../../../shared/src/index.js';
import { can } from '../auth/permissions.js';
import { loadAuthUser, type AuthUser } from '../auth/passport.js';
import type { EventBus } from '../events/bus.js';
import { refused } from '../errors.js';
import { mongoConversations, type ConversationStore } from '../data/conversations.js';
import { toId } from '../data/ids.js';
import { mongoUsers, type UserStore } from '../data/users.js';
import { mongoLabels, type LabelStore } from '../data/labels.js';
import { invalid } from '../errors.js';
import { loadVisibleConversation } from './access.js';
import { conversationView } from './conversation-queries.js';
import { publishConversation } from './conversations.js';

export class ConversationActions {
  constructor(
    readonly bus: EventBus,
    private readonly stores: { conversations: ConversationStore; users: UserStore; labels: LabelStore } = {
      conversations: mongoConversations,
      users: mongoUsers,
      labels: mongoLabels,
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
    return this.update(id, { status: 'closed', closedAt: new Date(), unreadCount: 0, snoozedUntil: null });
  }

  async reopen(user: AuthUser, id: string): Promise<Conversation> {
    await loadVisibleConversation(user, id, 'conversations:reply', this.stores.conversations);
    return this.update(id, { status: 'open', closedAt: null, snoozedUntil: null });
  }

  /** Waiting on something else than the customer: stays in the list as pending until someone answers. */
  async markPending(user: AuthUser, id: string): Promise<Conversation> {
    await loadVisibleConversation(user, id, 'conversations:reply', this.stores.conversations);
    return this.update(id, { status: 'pending', closedAt: null, snoozedUntil: null });
  }

  /** Snoozed until `until` (validated by the route: future, within a year); the customer's next message or the
   * snooze sweep reopens it. */
  async snooze(user: AuthUser, id: string, until: Date): Promise<Conversation> {
    await loadVisibleConversation(user, id, 'conversations:reply', this.stores.conversations);
    return this.update(id, { status: 'snoozed', snoozedUntil: until, closedAt: null });
  }

  /** Adds and removes labels; every named label must exist (400 naming the field and id otherwise). */
  async changeLabels(user: AuthUser, id: string, change: { add?: string[]; remove?: string[] }): Promise<Conversation> {
    await loadVisibleConversation(user, id, 'conversations:reply', this.stores.conversations);
    const add = [...new Set(change.add ?? [])];
    const remove = [...new Set(change.remove ?? [])];
    const known = new Set(await this.stores.labels.existing([...add, ...remove]));
    const unknownAdd = add.find((l) => !known.has(l));
    if (unknownAdd) throw invalid(`add: no label ${unknownAdd}`);
    const unknownRemove = remove.find((l) => !known.has(l));
    if (unknownRemove) throw invalid(`remove: no label ${unknownRemove}`);
    const both = add.find((l) => remove.includes(l));
    if (both) throw invalid(`remove: label ${both} is also in add`);
    await this.stores.conversations.changeLabels(id, add.map(toId), remove.map(toId));
    return (await publishConversation(this, id))!;
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
