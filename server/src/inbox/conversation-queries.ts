// Read side of the inbox: the conversation list (filters, search, cursor paging, newest activity first), one
// conversation, and a conversation's messages — all as masked API views, only what the user may see.
import type { Conversation, ConversationListQuery, Message } from '../../../shared/src/index.js';
import type { AuthUser } from '../auth/passport.js';
import { mongoContacts } from '../data/contacts.js';
import { mongoConversations } from '../data/conversations.js';
import { isId, toId, type Id } from '../data/ids.js';
import { mongoMessages } from '../data/messages.js';
import { mongoUsers } from '../data/users.js';
import { invalid } from '../errors.js';
import { loadVisibleConversation, visibleChannelIds } from './access.js';
import { consentStates } from '../policy/consent.js';
import { toConversationView, toMessageView } from './views.js';

function encodeCursor(at: Date | null, id: unknown): string {
  return Buffer.from(`${at ? at.getTime() : 0}:${String(id)}`).toString('base64url');
}
function decodeCursor(cursor: string): { at: Date; id: Id } {
  const [ms, id] = Buffer.from(cursor, 'base64url').toString('utf8').split(':');
  if (!/^\d+$/.test(ms ?? '') || !isId(id ?? '')) throw invalid('cursor: not a cursor from this list');
  return { at: new Date(Number(ms)), id: toId(id) };
}

/** Builds API views for conversation records, loading their contacts in one query. */
export async function conversationViews(
  convs: Array<Parameters<typeof toConversationView>[0]>,
): Promise<Conversation[]> {
  const contacts = await mongoContacts.many([...new Set(convs.map((c) => String(c.contactId)))]);
  const byId = new Map(contacts.map((c) => [String(c._id), c]));
  const consent = await consentStates(contacts.map((c) => String(c._id)));
  return convs.flatMap((c) => {
    const contact = byId.get(String(c.contactId));
    return contact ? [toConversationView(c, contact, consent.get(String(c.contactId)))] : [];
  });
}

export async function conversationView(id: string | Id): Promise<Conversation | null> {
  const conv = await mongoConversations.get(id);
  return conv ? ((await conversationViews([conv]))[0] ?? null) : null;
}

export async function listConversations(
  user: AuthUser,
  q: ConversationListQuery,
): Promise<{ items: Conversation[]; nextCursor: string | null }> {
  const channelIds = visibleChannelIds(user);
  const assigneeId =
    q.assignee === 'me' ? toId(user.id) : q.assignee === 'none' ? null : q.assignee ? toId(q.assignee) : undefined;
  const rows = await mongoConversations.list(
    {
      channelIds,
      ...(q.status ? { status: q.status } : {}),
      ...(assigneeId !== undefined ? { assigneeId } : {}),
      ...(q.channel ? { channelId: toId(q.channel) } : {}),
      ...(q.campaignId ? { campaignId: q.campaignId } : {}),
      ...(q.label ? { labelId: toId(q.label) } : {}),
      ...(q.q ? { search: q.q.toLowerCase() } : {}),
      ...(q.cursor ? { after: decodeCursor(q.cursor) } : {}),
    },
    q.limit + 1,
  );
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: await conversationViews(page),
    nextCursor: rows.length > q.limit && last ? encodeCursor(last.lastMessageAt ?? null, last._id) : null,
  };
}

export async function getConversation(user: AuthUser, id: string): Promise<Conversation> {
  const conv = await loadVisibleConversation(user, id);
  const [view] = await conversationViews([conv]);
  return view;
}

/** A page of messages, oldest first; `before` pages backwards from a message id. */
export async function listMessages(
  user: AuthUser,
  conversationId: string,
  opts: { before?: string; limit: number },
): Promise<Message[]> {
  const conv = await loadVisibleConversation(user, conversationId);
  let pivot: { _id: Id; createdAt: Date } | null = null;
  if (opts.before) {
    pivot = await mongoMessages.position(conv._id, opts.before);
    if (!pivot) throw invalid('before: no such message in this conversation');
  }
  const rows = await mongoMessages.page(conv._id, pivot, opts.limit);
  const authorIds = [...new Set(rows.flatMap((m) => (m.authorId ? [String(m.authorId)] : [])))];
  const authors = new Map((await mongoUsers.names(authorIds)).map((u) => [String(u._id), u.name]));
  return rows.reverse().map((m) => {
    const name = m.authorId ? authors.get(String(m.authorId)) : undefined;
    return toMessageView(m, m.authorId && name ? { id: String(m.authorId), name } : null);
  });
}
