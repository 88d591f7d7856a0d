// Assembles the sandbox adapter: the simulated phone speaks the Cloud API webhook format (same normalizer), and
// replies are "delivered" to the simulated phone by send.ts. Must never touch Parley's models.
import type { ChannelAdapter } from '../adapter.js';
import { CAPABILITIES } from '../capabilities.js';
import { normalizeCloud } from '../whatsapp-cloud/normalize.js';
import { sendSandbox, type SandboxSendContext } from './send.js';

export function createSandboxAdapter(ctx: SandboxSendContext): ChannelAdapter {
  return {
    kind: 'sandbox',
    capabilities: CAPABILITIES.sandbox,
    normalize: normalizeCloud,
    send: (payload) => sendSandbox(ctx, payload),
    // The simulated phone only sends text.
    fetchMedia: async () => null,
  };
}
