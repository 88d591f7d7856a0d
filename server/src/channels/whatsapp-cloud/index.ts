// Assembles the WhatsApp Cloud API adapter: webhook normalizer, Graph sender (send.ts), media download.
// Must never touch models: the registry passes the channel's ids and secrets in.
import type { ChannelAdapter } from '../adapter.js';
import { CAPABILITIES } from '../capabilities.js';
import type { GraphTarget } from '../graph.js';
import { fetchCloudMedia } from './media.js';
import { normalizeCloud } from './normalize.js';
import { sendCloud } from './send.js';

export interface CloudAdapterContext {
  graph: GraphTarget;
  phoneNumberId: string;
  accessToken: string;
}

export function createCloudAdapter(ctx: CloudAdapterContext): ChannelAdapter {
  return {
    kind: 'whatsapp-cloud',
    capabilities: CAPABILITIES['whatsapp-cloud'],
    normalize: normalizeCloud,
    send: (payload) => sendCloud(ctx, payload),
    fetchMedia: (media) => fetchCloudMedia(ctx, media),
  };
}
