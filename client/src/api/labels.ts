// Typed REST calls for labels, snooze, pending and bulk actions (docs/API.md "Labels", "Conversations"). Responses
// are parsed with the shared zod schemas. Must never send anything but what the API asks for.
import {
  BulkResultSchema,
  ConversationSchema,
  LabelListResponseSchema,
  LabelSchema,
  type BulkActionBody,
  type BulkResult,
  type Conversation,
  type Label,
} from '../../../shared/src/index.js';
import { request } from './client.js';

const conv = (id: string) => `/api/conversations/${encodeURIComponent(id)}`;

export const labelsApi = {
  async list(): Promise<Label[]> {
    return (await request('GET', '/api/labels', undefined, LabelListResponseSchema, { quiet: true })).items;
  },
  create(name: string, color: string): Promise<Label> {
    return request('POST', '/api/labels', { name, color }, LabelSchema);
  },
  update(id: string, patch: { name?: string; color?: string }): Promise<Label> {
    return request('PATCH', `/api/labels/${encodeURIComponent(id)}`, patch, LabelSchema);
  },
  async remove(id: string): Promise<void> {
    await request('DELETE', `/api/labels/${encodeURIComponent(id)}`, undefined, null);
  },
  change(id: string, change: { add?: string[]; remove?: string[] }): Promise<Conversation> {
    return request('POST', `${conv(id)}/labels`, change, ConversationSchema);
  },
  snooze(id: string, until: Date): Promise<Conversation> {
    return request('POST', `${conv(id)}/snooze`, { until: until.toISOString() }, ConversationSchema);
  },
  pending(id: string): Promise<Conversation> {
    return request('POST', `${conv(id)}/pending`, undefined, ConversationSchema);
  },
  bulk(body: BulkActionBody): Promise<BulkResult> {
    return request('POST', '/api/conversations/bulk', body, BulkResultSchema);
  },
};
