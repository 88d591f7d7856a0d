// Typed REST calls of the admin screens beyond users (docs/API.md "Channels", canned replies): list/create/delete
// channels, manage canned replies. Must never keep channel secrets after the create call returns: they are
// write-only and the server never sends them back.
import {
  CannedReplyListResponseSchema,
  CannedReplySchema,
  ChannelListResponseSchema,
  ChannelSchema,
  type CannedReply,
  type Channel,
  type CreateCannedReplyBody,
  type CreateChannelBody,
} from '../../../shared/src/index.js';
import { request, type RequestOptions } from './client.js';

const channelPath = (id: string) => `/api/channels/${encodeURIComponent(id)}`;
const cannedPath = (id: string) => `/api/canned-replies/${encodeURIComponent(id)}`;

export const adminApi = {
  async listChannels(options: RequestOptions = {}): Promise<Channel[]> {
    return (await request('GET', '/api/channels', undefined, ChannelListResponseSchema, options)).items;
  },
  createChannel(body: CreateChannelBody, options: RequestOptions = {}): Promise<Channel> {
    return request('POST', '/api/channels', body, ChannelSchema, options);
  },
  async deleteChannel(id: string): Promise<void> {
    await request('DELETE', channelPath(id), undefined, null);
  },
  async listCannedReplies(): Promise<CannedReply[]> {
    return (await request('GET', '/api/canned-replies', undefined, CannedReplyListResponseSchema)).items;
  },
  createCannedReply(body: CreateCannedReplyBody, options: RequestOptions = {}): Promise<CannedReply> {
    return request('POST', '/api/canned-replies', body, CannedReplySchema, options);
  },
  updateCannedReply(
    id: string,
    body: Partial<CreateCannedReplyBody>,
    options: RequestOptions = {},
  ): Promise<CannedReply> {
    return request('PATCH', cannedPath(id), body, CannedReplySchema, options);
  },
  async deleteCannedReply(id: string): Promise<void> {
    await request('DELETE', cannedPath(id), undefined, null);
  },
};
