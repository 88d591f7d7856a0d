// Declared capabilities per channel kind (reply windows, templates, ad data, receipts, webhook path). The guard
// and the console read these instead of special-casing channels; the window rules come from the shared channel
// rules the console uses too. Must never hold per-channel secrets or state.
import { CHANNEL_RULES, type ChannelKind } from '../../../shared/src/index.js';
import type { ChannelCapabilities } from './adapter.js';

const ALL_MEDIA = ['image', 'document', 'video', 'audio'] as const;

export const CAPABILITIES: Readonly<Record<ChannelKind, ChannelCapabilities>> = {
  'whatsapp-cloud': {
    ...CHANNEL_RULES['whatsapp-cloud'],
    outboundMedia: ALL_MEDIA,
    adReferrals: true,
    readReceipts: true,
    webhook: 'whatsapp',
  },
  sandbox: {
    ...CHANNEL_RULES.sandbox,
    outboundMedia: ALL_MEDIA,
    adReferrals: true,
    readReceipts: true,
    webhook: 'whatsapp',
  },
  messenger: {
    ...CHANNEL_RULES.messenger,
    outboundMedia: ALL_MEDIA,
    adReferrals: true,
    readReceipts: true,
    webhook: 'messenger',
  },
  'whatsapp-web': {
    ...CHANNEL_RULES['whatsapp-web'],
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
