// The number customers see for a channel, learnt from the provider (WhatsApp reports metadata.display_phone_number
// with every webhook): stored on the channel when it differs (by digits) from what is stored, so tracked links open
// wa.me/<that number> rather than wa.me/<phone_number_id>. Remembers what it stored per channel, so a busy channel
// costs no write per webhook. Must never overwrite a number with a malformed one.
import { mongoChannels, type ChannelStore } from '../data/channels.js';

const digits = (v: string | null | undefined) => (v ?? '').replace(/\D/g, '');

export function createNumberKeeper(channels: ChannelStore = mongoChannels) {
  const known = new Map<string, string>();
  return async function rememberBusinessNumber(channelId: string, displayNumber: string): Promise<void> {
    const next = digits(displayNumber);
    if (!/^\d{6,15}$/.test(next) || known.get(channelId) === next) return;
    const ch = await channels.get(channelId);
    if (!ch) return;
    if (digits(ch.displayNumber) !== next) await channels.set(channelId, { displayNumber: `+${next}` });
    known.set(channelId, next);
  };
}
