// The reply-window rules of each channel kind: how long after the customer's last message free-form replies are
// allowed, how long a human agent may still answer (Messenger's HUMAN_AGENT tag), and whether approved templates
// can be sent outside the window. The server's channel capabilities and the console's composer both read these.
// Must never hold per-channel settings, secrets or state, and never import server or client code.
import type { ChannelKind } from './inbox.js';

export interface ChannelWindowRules {
  /** Free-form replies allowed this many hours after the customer's last inbound message (null: no window). */
  replyWindowHours: number | null;
  /** A human agent may reply up to this many hours after it (null: not available). */
  humanAgentWindowHours: number | null;
  /** Approved templates can be sent outside the window. */
  templates: boolean;
}

export const CHANNEL_RULES: Readonly<Record<ChannelKind, Readonly<ChannelWindowRules>>> = {
  'whatsapp-cloud': { replyWindowHours: 24, humanAgentWindowHours: null, templates: true },
  sandbox: { replyWindowHours: 24, humanAgentWindowHours: null, templates: true },
  messenger: { replyWindowHours: 24, humanAgentWindowHours: 168, templates: false },
  'whatsapp-web': { replyWindowHours: null, humanAgentWindowHours: null, templates: false },
};

/** The rules of `kind`; an unknown kind (the channel list is unavailable) gets WhatsApp Cloud's. */
export function channelRules(kind: ChannelKind | undefined): Readonly<ChannelWindowRules> {
  return kind ? CHANNEL_RULES[kind] : CHANNEL_RULES['whatsapp-cloud'];
}
