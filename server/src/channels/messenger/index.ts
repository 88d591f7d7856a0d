// Assembles the Messenger adapter: webhook normalizer, Send API sender (send.ts), attachment download.
// Must never touch models: the registry passes the page id and token in.
import type { ChannelAdapter } from '../adapter.js';
import { CAPABILITIES } from '../capabilities.js';
import type { GraphTarget } from '../graph.js';
import { fetchMessengerMedia } from './media.js';
import { normalizeMessenger } from './normalize.js';
import { sendMessenger } from './send.js';

export interface MessengerAdapterContext {
  graph: GraphTarget;
  pageId: string;
  pageToken: string;
}

export function createMessengerAdapter(ctx: MessengerAdapterContext): ChannelAdapter {
  return {
    kind: 'messenger',
    capabilities: CAPABILITIES.messenger,
    normalize: normalizeMessenger,
    send: (payload) => sendMessenger(ctx, payload),
    fetchMedia: (media) => fetchMessengerMedia(media),
  };
}
