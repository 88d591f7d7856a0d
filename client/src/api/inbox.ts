// Typed REST calls of the inbox (docs/API.md "Conversations and messages"): conversation list and detail, thread
// pages, sending (text, note, template, attachment), assignment, close/reopen, mark read, canned replies.
// Responses are parsed with the shared zod schemas. Must never send or keep anything but what the API asks for.
import { z } from 'zod';
import {
  AssigneeListResponseSchema,
  CannedReplyListResponseSchema,
  ConversationListResponseSchema,
  ConversationSchema,
  MessageListResponseSchema,
  MessageSchema,
  type Assignee,
  type ConversationListResponse,
  type Conversation,
  type Message,
  type PostMessageBody,
} from '../../../shared/src/index.js';
import { request, type RequestOptions } from './client.js';

export interface ConversationFilters {
  assignee?: 'me' | 'none';
  status?: 'open' | 'pending' | 'snoozed' | 'closed';
  channel?: string;
  label?: string;
  q?: string;
}

const conv = (id: string) => `/api/conversations/${encodeURIComponent(id)}`;

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Actions (assign, close, …) may answer with the updated conversation; anything else → refetch it. */
async function conversationAction(id: string, action: string, body: unknown): Promise<Conversation> {
  const res = await request('POST', `${conv(id)}/${action}`, body, z.unknown().nullable());
  const parsed = ConversationSchema.safeParse(res);
  if (parsed.success) return parsed.data;
  const wrapped = z.object({ conversation: ConversationSchema }).safeParse(res);
  if (wrapped.success) return wrapped.data.conversation;
  return inboxApi.getConversation(id);
}

export const inboxApi = {
  listConversations(
    filters: ConversationFilters,
    cursor?: string | null,
    options: RequestOptions & { limit?: number } = {},
  ): Promise<ConversationListResponse> {
    const limit = options.limit ?? 30;
    const path = `/api/conversations${query({ ...filters, cursor: cursor ?? undefined, limit })}`;
    return request('GET', path, undefined, ConversationListResponseSchema, options);
  },
  getConversation(id: string, options: RequestOptions = {}): Promise<Conversation> {
    return request('GET', conv(id), undefined, ConversationSchema, options);
  },
  async listMessages(id: string, before?: string, options: RequestOptions = {}): Promise<Message[]> {
    const path = `${conv(id)}/messages${query({ before, limit: 50 })}`;
    return (await request('GET', path, undefined, MessageListResponseSchema, options)).items;
  },
  /** Text, private note or template; a 422 refusal is thrown as ApiRequestError (quiet: the composer shows it). */
  postMessage(id: string, body: PostMessageBody): Promise<Message> {
    return request('POST', `${conv(id)}/messages`, body, MessageSchema, { quiet: true });
  },
  uploadAttachment(id: string, file: File, caption?: string): Promise<Message> {
    const form = new FormData();
    form.append('file', file, file.name);
    if (caption) form.append('caption', caption);
    return request('POST', `${conv(id)}/attachments`, form, MessageSchema, { quiet: true });
  },
  async markRead(id: string): Promise<void> {
    await request('POST', `${conv(id)}/read`, undefined, null, { quiet: true });
  },
  assign(id: string, userId: string | null): Promise<Conversation> {
    return conversationAction(id, 'assign', { userId });
  },
  close(id: string): Promise<Conversation> {
    return conversationAction(id, 'close', undefined);
  },
  reopen(id: string): Promise<Conversation> {
    return conversationAction(id, 'reopen', undefined);
  },
  async listAssignees(id: string): Promise<Assignee[]> {
    return (await request('GET', `${conv(id)}/assignees`, undefined, AssigneeListResponseSchema)).items;
  },
  async listCannedReplies(options: RequestOptions = {}) {
    return (await request('GET', '/api/canned-replies', undefined, CannedReplyListResponseSchema, options)).items;
  },
};
