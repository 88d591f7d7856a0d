// Sends one outbound payload through the WhatsApp Cloud API (text, template, media upload + send).
// Must never retry by itself (the outbox worker decides) and never touch models.
import type { OutboundPayload, SendResult } from '../adapter.js';
import { graphFetch, type GraphError, type GraphTarget } from '../graph.js';
import { cloudErrorReason } from './errors.js';

export interface CloudSendContext {
  graph: GraphTarget;
  phoneNumberId: string;
  accessToken: string;
}

type CloudResponse = { messages?: { id?: string }[] };

export function failure(error: GraphError, reason: (code: string, fallback?: string) => string): SendResult {
  return {
    ok: false,
    transient: error.transient,
    code: error.code,
    reason: error.status === 0 ? error.message : reason(error.code, error.message),
  };
}

export async function sendCloud(ctx: CloudSendContext, payload: OutboundPayload): Promise<SendResult> {
  const to = payload.to.value;
  let message: Record<string, unknown>;
  switch (payload.kind) {
    case 'text':
      message = { type: 'text', text: { body: payload.text ?? '', preview_url: false } };
      break;
    case 'template': {
      const t = payload.template!;
      const components = t.params.length
        ? [{ type: 'body', parameters: t.params.map((text) => ({ type: 'text', text })) }]
        : [];
      message = { type: 'template', template: { name: t.name, language: { code: t.language }, components } };
      break;
    }
    default: {
      const media = payload.media!;
      const form = new FormData();
      form.append('messaging_product', 'whatsapp');
      form.append('type', media.mimeType);
      form.append('file', new Blob([new Uint8Array(media.bytes)], { type: media.mimeType }), media.filename);
      const up = await graphFetch<{ id?: string }>(ctx.graph, {
        path: `/${ctx.phoneNumberId}/media`,
        token: ctx.accessToken,
        form,
      });
      if (!up.ok) return failure(up.error, cloudErrorReason);
      if (!up.data.id)
        return { ok: false, transient: false, code: 'bad_response', reason: 'WhatsApp did not return a media id' };
      const body: Record<string, unknown> = { id: up.data.id };
      if (payload.text) body.caption = payload.text;
      if (payload.kind === 'document') body.filename = media.filename;
      message = { type: payload.kind, [payload.kind]: body };
    }
  }
  const res = await graphFetch<CloudResponse>(ctx.graph, {
    path: `/${ctx.phoneNumberId}/messages`,
    token: ctx.accessToken,
    // A business-scoped user id (no phone shared) is addressed with `recipient`, a phone number with `to`.
    json: {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      ...(payload.to.kind === 'wa_user_id' || payload.to.kind === 'wa_parent_user_id' ? { recipient: to } : { to }),
      ...message,
    },
  });
  if (!res.ok) return failure(res.error, cloudErrorReason);
  const id = res.data.messages?.[0]?.id;
  if (!id)
    return {
      ok: false,
      transient: false,
      code: 'bad_response',
      reason: 'WhatsApp accepted the request but returned no message id',
    };
  return { ok: true, providerMessageId: id };
}
