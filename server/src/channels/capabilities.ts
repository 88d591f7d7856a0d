// Declared capabilities per channel kind (reply windows, templates, ad data, receipts, webhook path). The guard
// and the console read these instead of special-casing channels. Must never hold per-channel secrets or state.
import type { ChannelKind } from '../../../shared/src/index.js';
import type { ChannelCapabilities } from './adapter.js';

const ALL_MEDIA = ['image', 'document', 'video', 'audio'] as const;

export const CAPABILITIES: Readonly<Record<ChannelKind, ChannelCapabilities>> = {
  'whatsapp-cloud': {
    replyWindowHours: 24,
    humanAgentWindowHours: null,
    templates: true,
    outboundMedia: ALL_MEDIA,
    adReferrals: true,
    readReceipts: true,
    webhook: 'whatsapp',
  },
  sandbox: {
    replyWindowHours: 24,
    humanAgentWindowHours: null,
    templates: true,
    outboundMedia: ALL_MEDIA,
    adReferrals: true,
    readReceipts: true,
    webhook: 'whatsapp',
  },
  messenger: {
    replyWindowHours: 24,
    humanAgentWindowHours: 168,
    templates: false,
    outboundMedia: ALL_MEDIA,
    adReferrals: true,
    readReceipts: true,
    webhook: 'messenger',
  },
  'whatsapp-web': {
    replyWindowHours: null,
    humanAgentWindowHours: null,
    templates: false,
    outboundMedia: ALL_MEDIA,
    adReferrals: true,
    readReceipts: true,
    webhook: null,
  },
};

export type WebhookProvider = 'whatsapp' | 'messenger';

/** Channel kinds whose webhooks arrive on /webhooks/<provider>. */
export function kindsForProvider(provider: WebhookProvider): ChannelKind[] {
  return (Object.keys(CAPABILITIES) as ChannelKind[]).filter((k) => CAPABILITIES[k].webhook === provider);
}
