// The shapes the whatsapp-web channel stores in the durable intake (what a live client saw, serialized) and the
// narrow interface the channel needs from a whatsapp-web.js Client. Tests fake only this interface's browser-bound
// calls. Must never import the library at runtime (types only) and never hold state.

/** A received message as the session serializes it for the intake (the library's own field mapping, flattened). */
export interface WwebMessageSnapshot {
  /** `id._serialized` — the stable provider key. */
  id: string;
  /** Exact chat id of the sender: `…@c.us`, `…@lid`, `…@g.us`, `status@broadcast`. */
  from: string;
  to: string;
  fromMe: boolean;
  type: string;
  body: string;
  /** Unix seconds. */
  timestamp: number;
  notifyName?: string;
  hasMedia: boolean;
  mimetype?: string;
  filename?: string;
  location?: { latitude: number; longitude: number; name?: string; address?: string; url?: string };
  vCards?: string[];
  quotedId?: string;
  isStatus?: boolean;
  broadcast?: boolean;
  /** `_data.ctwaContext` when WhatsApp provided it. */
  ctwaContext?: Record<string, unknown>;
  /** The phone chat id (`…@c.us`) resolved for an `@lid` sender with getContactLidAndPhone. */
  resolvedPhoneId?: string;
  /** The `@lid` id resolved for a `@c.us` sender. */
  resolvedLid?: string;
}

export type WwebIntakeBody =
  { v: 1; type: 'message'; message: WwebMessageSnapshot } | { v: 1; type: 'ack'; id: string; ack: number; at: number };

export interface WwebMediaData {
  data: string;
  mimetype: string;
  filename?: string | null;
}

/** What the channel uses of a live (ready) whatsapp-web.js Client. A real Client satisfies it. */
export interface WwebLiveClient {
  sendMessage(
    chatId: string,
    content: unknown,
    options?: Record<string, unknown>,
  ): Promise<{ id: { _serialized: string } }>;
  getMessageById(id: string): Promise<{ downloadMedia(): Promise<WwebMediaData | undefined> } | null | undefined>;
}
