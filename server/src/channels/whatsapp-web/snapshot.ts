// Serializes a whatsapp-web.js Message (after the library's own field mapping) into the intake snapshot, and
// resolves the other id of the sender (lid ↔ phone chat id) with getContactLidAndPhone when the client offers it.
// Must never rebuild an id from a phone number and never fail a message because a lookup failed.
import type { WwebMessageSnapshot } from './types.js';

/** The fields of a library Message this module reads (a real `Message` satisfies it). */
export interface LibMessage {
  id: { _serialized: string };
  from: string;
  to: string;
  fromMe: boolean;
  type: string;
  body: string;
  timestamp: number;
  hasMedia: boolean;
  isStatus?: boolean;
  broadcast?: boolean;
  location?: {
    latitude: number | string;
    longitude: number | string;
    description?: string;
    name?: string;
    address?: string;
    url?: string;
  };
  vCards?: string[];
  _data?: Record<string, unknown>;
}

export type LidLookup = (ids: string[]) => Promise<Array<{ lid?: string; pn?: string }>>;

export function snapshotOf(msg: LibMessage): WwebMessageSnapshot {
  const data = msg._data ?? {};
  const s: WwebMessageSnapshot = {
    id: msg.id._serialized,
    from: msg.from,
    to: msg.to,
    fromMe: Boolean(msg.fromMe),
    type: msg.type,
    body: msg.body ?? '',
    timestamp: Number(msg.timestamp) || Math.floor(Date.now() / 1000),
    hasMedia: Boolean(msg.hasMedia),
  };
  if (typeof data.notifyName === 'string' && data.notifyName) s.notifyName = data.notifyName;
  if (typeof data.mimetype === 'string') s.mimetype = data.mimetype;
  if (typeof data.filename === 'string') s.filename = data.filename;
  if (msg.isStatus) s.isStatus = true;
  if (msg.broadcast) s.broadcast = true;
  if (msg.location) {
    const l = msg.location;
    s.location = {
      latitude: Number(l.latitude),
      longitude: Number(l.longitude),
      ...(l.name ? { name: l.name } : {}),
      ...(l.address ? { address: l.address } : {}),
      ...(l.url ? { url: l.url } : {}),
    };
  }
  if (msg.vCards?.length) s.vCards = msg.vCards;
  if (typeof data.quotedStanzaID === 'string') s.quotedId = data.quotedStanzaID;
  if (data.ctwaContext && typeof data.ctwaContext === 'object')
    s.ctwaContext = data.ctwaContext as Record<string, unknown>;
  return s;
}

/** Adds the sender's other id when the client can tell it; a failed lookup leaves the snapshot as it was. */
export async function resolveOtherId(
  s: WwebMessageSnapshot,
  lookup: LidLookup | undefined,
): Promise<WwebMessageSnapshot> {
  if (!lookup || s.fromMe || !(s.from.endsWith('@lid') || s.from.endsWith('@c.us'))) return s;
  try {
    const [r] = await lookup([s.from]);
    if (s.from.endsWith('@lid') && typeof r?.pn === 'string' && r.pn.endsWith('@c.us'))
      return { ...s, resolvedPhoneId: r.pn };
    if (s.from.endsWith('@c.us') && typeof r?.lid === 'string' && r.lid.endsWith('@lid'))
      return { ...s, resolvedLid: r.lid };
  } catch {
    // the browser may be busy or gone: the message is stored with the id we have
  }
  return s;
}
