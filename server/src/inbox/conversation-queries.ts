// Read side of the inbox: the conversation list (filters, search, cursor paging, newest activity first), one
// conversation, and a conversation's messages — all as masked API views, only what the user may see.
import { Types } from 'mongoose';
import type { Conversation, ConversationListQuery, Message } from '../../../shared/src/index.js';
import type { AuthUser } from '../auth/passport.js';
import { invalid } from '../errors.js';
import { ContactModel } from '../models/contact.js';
import { ConversationModel } from '../models/conversation.js';
import { MessageModel } from '../models/message.js';
import { UserModel } from '../models/user.js';
import { loadVisibleConversation, visibleConversationsFilter } from './access.js';
import { consentStates } from '../policy/consent.js';
import { toConversationView, toMessageView } from './views.js';

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function encodeCursor(at: Date | null, id: unknown): string {
  return Buffer.from(`${at ? at.getTime() : 0}:${String(id)}`).toString('base64url');
}
function decodeCursor(cursor: string): { at: Date; id: Types.ObjectId } {
  const [ms, id] = Buffer.from(cursor, 'base64url').toString('utf8').split(':');
  if (!/^\d+$/.test(ms ?? '') || !/^[a-f0-9]{24}$/i.test(id ?? ''))
    throw invalid('cursor: not a cursor from this list');
  return { at: new Date(Number(ms)), id: new Types.ObjectId(id) };
}

/** Builds API views for conversation records, loading their contacts in one query. */
export async function conversationViews(
  convs: Array<Parameters<typeof toConversationView>[0]>,
): Promise<Conversation[]> {
  const contacts = await ContactModel.find({
    _id: { $in: [...new Set(convs.map((c) => String(c.contactId)))] },
  }).lean();
  const byId = new Map(contacts.map((c) => [String(c._id), c]));
  const consent = await consentStates(contacts.map((c) => String(c._id)));
  return convs.flatMap((c) => {
    const contact = byId.get(String(c.contactId));
    return contact ? [toConversationView(c, contact, consent.get(String(c.contactId)))] : [];
  });
}

export async function conversationView(id: string | Types.ObjectId): Promise<Conversation | null> {
  const conv = await ConversationModel.findById(id).lean();
  return conv ? ((await conversationViews([conv]))[0] ?? null) : null;
}

export async function listConversations(
  user: AuthUser,
  q: ConversationListQuery,
): Promise<{ items: Conversation[]; nextCursor: string | null }> {
  const and: Record<string, unknown>[] = [visibleConversationsFilter(user)];
  if (q.status) and.push({ status: q.status });
  if (q.assignee === 'me') and.push({ assigneeId: new Types.ObjectId(user.id) });
  else if (q.assignee === 'none') and.push({ assigneeId: null });
  else if (q.assignee) and.push({ assigneeId: new Types.ObjectId(q.assignee) });
  if (q.channel) and.push({ channelId: new Types.ObjectId(q.channel) });
  if (q.campaignId) and.push({ 'attribution.campaignId': q.campaignId });
  if (q.q) and.push({ searchText: { $regex: escapeRegex(q.q.toLowerCase()) } });
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    and.push({ $or: [{ lastMessageAt: { $lt: c.at } }, { lastMessageAt: c.at, _id: { $lt: c.id } }] });
  }
  const rows = await ConversationModel.find({ $and: and })
    .sort({ lastMessageAt: -1, _id: -1 })
    .limit(q.limit + 1)
    .lean();
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: await conversationViews(page),
    nextCursor: rows.length > q.limit && last ? encodeCursor(last.lastMessageAt ?? null, last._id) : null,
  };
}

export async function getConversation(user: AuthUser, id: string): Promise<Conversation> {
  const conv = await loadVisibleConversation(user, id);
  const [view] = await conversationViews([conv.toObject()]);
  return view;
}

/** A page of messages, oldest first; `before` pages backwards from a message id. */
export async function listMessages(
  user: AuthUser,
  conversationId: string,
  opts: { before?: string; limit: number },
): Promise<Message[]> {
  const conv = await loadVisibleConversation(user, conversationId);
  const filter: Record<string, unknown> = { conversationId: conv._id };
  if (opts.before) {
    const pivot = await MessageModel.findOne({ _id: opts.before, conversationId: conv._id }).select('createdAt').lean();
    if (!pivot) throw invalid('before: no such message in this conversation');
    filter.$or = [{ createdAt: { $lt: pivot.createdAt } }, { createdAt: pivot.createdAt, _id: { $lt: pivot._id } }];
  }
  const rows = await MessageModel.find(filter).sort({ createdAt: -1, _id: -1 }).limit(opts.limit).lean();
  const authorIds = [...new Set(rows.flatMap((m) => (m.authorId ? [String(m.authorId)] : [])))];
  const authors = new Map(
    (
      await UserModel.find({ _id: { $in: authorIds } })
        .select('name')
        .lean()
    ).map((u) => [String(u._id), u.name]),
  );
  return rows.reverse().map((m) => {
    const name = m.authorId ? authors.get(String(m.authorId)) : undefined;
    return toMessageView(m, m.authorId && name ? { id: String(m.authorId), name } : null);
  });
}
