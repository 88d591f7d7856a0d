// A real whatsapp-web.js Client built with NoAuth (no browser launched) whose browser-bound calls are stubbed, and
// real library Messages built from raw data, so tests drive the whatsapp-web channel with the library's own event
// names and field mapping. Must never launch Chromium or reach the network.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { WwebClient, WwebChat } from '../../server/src/channels/whatsapp-web/session.js';
import type { LibMessage } from '../../server/src/channels/whatsapp-web/snapshot.js';

const require = createRequire(import.meta.url);
const lib = require('whatsapp-web.js') as {
  Client: new (o: object) => WwebClient & { emit(e: string, ...a: unknown[]): boolean; info?: unknown };
  NoAuth: new () => object;
  Message: new (client: unknown, data: Record<string, unknown>) => LibMessage;
};

export const RAW_SAMPLE: Record<string, any> = JSON.parse(
  readFileSync(fileURLToPath(new URL('../fixtures/payloads/wwebjs-message-raw.json', import.meta.url)), 'utf8'),
);

export interface FakeWweb {
  client: WwebClient & { emit(e: string, ...a: unknown[]): boolean };
  sent: Array<{ chatId: string; content: unknown; options: Record<string, unknown> | undefined; id: string }>;
  calls: string[];
  /** What downloadMedia resolves per message id (undefined: nothing, the library's "may give nothing"). */
  media: Map<string, { data: string; mimetype: string; filename?: string } | undefined>;
  lids: Map<string, { lid?: string; pn?: string }>;
  chats: WwebChat[];
  initError?: Error;
  message(raw: Record<string, unknown>): LibMessage;
  /** Our own sent message as the library hands it to message_ack. */
  own(id: string, chatId: string): LibMessage;
}

let seq = 0;
export function createFakeWweb(): FakeWweb {
  const client = new lib.Client({ authStrategy: new lib.NoAuth() });
  const f: FakeWweb = {
    client,
    sent: [],
    calls: [],
    media: new Map(),
    lids: new Map(),
    chats: [],
    message: (raw) => new lib.Message(client, raw),
    own: (id, chatId) =>
      new lib.Message(client, {
        id: { fromMe: true, remote: chatId, id: id.split('_').pop(), _serialized: id },
        from: 'me@c.us',
        to: chatId,
        type: 'chat',
        body: '',
        t: 1,
      }),
  };
  // Only the browser-bound calls are replaced.
  client.initialize = async () => {
    f.calls.push('initialize');
    if (f.initError) throw f.initError;
  };
  client.destroy = async () => {
    f.calls.push('destroy');
  };
  client.logout = async () => {
    f.calls.push('logout');
  };
  client.sendMessage = async (chatId: string, content: unknown, options?: Record<string, unknown>) => {
    const n = ++seq;
    const id = `true_${chatId}_OUT${n}`;
    f.sent.push({ chatId, content, options, id });
    return f.message({
      id: { fromMe: true, remote: chatId, id: `OUT${n}`, _serialized: id },
      from: 'me@c.us',
      to: chatId,
      type: 'chat',
      body: String(content),
      t: Math.floor(Date.now() / 1000),
    }) as never;
  };
  client.getMessageById = async (id: string) => ({ downloadMedia: async () => f.media.get(id) }) as never;
  client.getContactLidAndPhone = async (ids: string[]) => ids.map((id) => f.lids.get(id) ?? {});
  client.getChats = async () => f.chats;
  return f;
}

/** Raw message data like the browser serializes it (sample payload fields, overridable). */
export function rawMessage(over: Record<string, unknown> = {}): Record<string, unknown> {
  const from = (over.from as string) ?? RAW_SAMPLE.from;
  const idPart = (over.idPart as string) ?? `3EB0${++seq}X`;
  const { idPart: _drop, ...rest } = over;
  return {
    ...RAW_SAMPLE,
    id: { fromMe: false, remote: from, id: idPart, _serialized: `false_${from}_${idPart}` },
    from,
    ...rest,
  };
}
