// Sends one outbound payload through the Messenger Send API (text, attachment upload). Inside 24 h a RESPONSE,
// up to 7 days with the HUMAN_AGENT tag. Must never retry by itself and never touch models.
import type { OutboundPayload, SendResult } from '../adapter.js';
import { graphFetch, type GraphTarget } from '../graph.js';
import { failure } from '../whatsapp-cloud/send.js';

export interface MessengerSendContext {
  graph: GraphTarget;
  pageId: string;
  pageToken: string;
}

const REASONS: Record<string, string> = {
  '10': 'This message is sent outside the allowed window (24 hours, or 7 days with the human agent tag).',
  '551': 'This person is not available right now (they may have blocked the page).',
  '2018278': 'This message is sent outside the allowed window (24 hours, or 7 days with the human agent tag).',
  '2018001': 'No matching user found for this conversation.',
  '190': 'The page token has expired or is invalid: update the channel settings.',
};
const reason = (code: string, fallback?: string) =>
  REASONS[code] ?? (fallback ? `Messenger error ${code}: ${fallback}` : `Messenger error ${code}`);

export async function sendMessenger(ctx: MessengerSendContext, payload: OutboundPayload): Promise<SendResult> {
  // PSIDs are stored page-scoped as "<pageId>:<psid>".
  const psid = payload.to.value.includes(':') ? payload.to.value.split(':').pop()! : payload.to.value;
  const envelope = payload.humanAgentTag
    ? { recipient: { id: psid }, messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' }
    : { recipient: { id: psid }, messaging_type: 'RESPONSE' };
  if (payload.kind === 'template') {
    return { ok: false, transient: false, code: 'unsupported', reason: 'Messenger has no message templates.' };
  }
  let res;
  if (payload.kind === 'text') {
    res = await graphFetch<{ message_id?: string }>(ctx.graph, {
      path: `/${ctx.pageId}/messages`,
      token: ctx.pageToken,
      json: { ...envelope, message: { text: payload.text ?? '' } },
    });
  } else {
    const media = payload.media!;
    const type = payload.kind === 'document' ? 'file' : payload.kind;
    const form = new FormData();
    for (const [k, v] of Object.entries(envelope)) form.append(k, typeof v === 'string' ? v : JSON.stringify(v));
    form.append('message', JSON.stringify({ attachment: { type, payload: { is_reusable: false } } }));
    form.append('filedata', new Blob([new Uint8Array(media.bytes)], { type: media.mimeType }), media.filename);
    res = await graphFetch<{ message_id?: string }>(ctx.graph, {
      path: `/${ctx.pageId}/messages`,
      token: ctx.pageToken,
      form,
    });
  }
  if (!res.ok) return failure(res.error, reason);
  if (!res.data.message_id)
    return { ok: false, transient: false, code: 'bad_response', reason: 'Messenger returned no message id' };
  return { ok: true, providerMessageId: res.data.message_id };
}
