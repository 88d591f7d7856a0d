// The whatsapp-web ChannelAdapter: normalize() maps stored intake bodies (serialized messages and acks) to
// ChannelEvents; send() and fetchMedia() use the channel's live client (owned by the session manager) and answer
// "not connected" when there is none. Must never touch models or the bus, and never send seen receipts.
import { createRequire } from 'node:module';
import type { ChannelAdapter, InboundMedia, OutboundMedia, OutboundPayload, SendResult } from '../adapter.js';
import { CAPABILITIES } from '../capabilities.js';
import { normalizeWweb } from './normalize.js';
import type { WwebLiveClient } from './types.js';

const require = createRequire(import.meta.url);

export interface WwebAdapterOptions {
  channelId: string;
  /** The channel's ready client in this process, or null (not linked, disconnected, owned by another process). */
  live(): WwebLiveClient | null;
}

type MessageMediaCtor = new (mimetype: string, data: string, filename?: string | null) => unknown;

function messageMedia(m: OutboundMedia): unknown {
  const { MessageMedia } = require('whatsapp-web.js') as { MessageMedia: MessageMediaCtor };
  return new MessageMedia(m.mimeType, m.bytes.toString('base64'), m.filename);
}

export function createWhatsappWebAdapter(opts: WwebAdapterOptions): ChannelAdapter {
  return {
    kind: 'whatsapp-web',
    capabilities: CAPABILITIES['whatsapp-web'],
    normalize: (raw, ctx) => normalizeWweb(raw, ctx),
    async send(payload: OutboundPayload): Promise<SendResult> {
      const client = opts.live();
      if (!client)
        return {
          ok: false,
          transient: true,
          code: 'wweb_not_connected',
          reason: 'The linked WhatsApp number is not connected.',
        };
      if (payload.kind === 'template') {
        return {
          ok: false,
          transient: false,
          code: 'not_supported',
          reason: 'Linked WhatsApp numbers cannot send templates.',
        };
      }
      const chatId = payload.to.value; // the exact chat id the customer wrote from
      try {
        let sent;
        if (payload.kind === 'text') {
          sent = await client.sendMessage(chatId, payload.text ?? '', { sendSeen: false });
        } else {
          if (!payload.media)
            return { ok: false, transient: false, code: 'bad_payload', reason: 'Media message without a file.' };
          sent = await client.sendMessage(chatId, messageMedia(payload.media), {
            sendSeen: false,
            ...(payload.text ? { caption: payload.text } : {}),
            ...(payload.kind === 'document' ? { sendMediaAsDocument: true } : {}),
          });
        }
        const id = sent?.id?._serialized;
        if (!id)
          return { ok: false, transient: false, code: 'wweb_no_id', reason: 'WhatsApp did not confirm the message.' };
        return { ok: true, providerMessageId: id };
      } catch (err) {
        // It may have left the phone: never retried (no duplicates).
        return {
          ok: false,
          transient: false,
          code: 'wweb_send_failed',
          reason: err instanceof Error ? err.message : String(err),
        };
      }
    },
    async fetchMedia(media: InboundMedia): Promise<OutboundMedia | null> {
      const client = opts.live();
      if (!client) throw new Error('The linked WhatsApp number is not connected.');
      if (!media.providerMediaId) return null;
      const msg = await client.getMessageById(media.providerMediaId);
      const data = msg ? await msg.downloadMedia() : undefined;
      if (!data?.data) return null; // downloadMedia may resolve nothing (expired, deleted)
      const ext = (data.mimetype.split('/')[1] ?? 'bin').split(';')[0];
      return {
        bytes: Buffer.from(data.data, 'base64'),
        mimeType: data.mimetype,
        filename: data.filename || media.filename || `whatsapp-${Date.now()}.${ext}`,
      };
    },
  };
}
