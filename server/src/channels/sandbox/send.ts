// The sandbox "provider" accepting a business reply: stores it on the simulated phone (sandbox_messages), pushes it
// to open /sandbox pages and returns a provider id `wamid.SANDBOX…`, like the Cloud API would. Delivered/read
// statuses come back later as signed webhooks when the phone page displays the reply. Must never touch Parley's
// models and never pretend to send anywhere real.
import { randomBytes } from 'node:crypto';
import type { OutboundPayload, SendResult } from '../adapter.js';
import { sandboxPhoneStore, phoneHub, toPhoneMessage } from './phone-store.js';

export interface SandboxSendContext {
  channelId: string;
}

/** Media kept on the simulated phone (a document must stay under MongoDB's 16 MB limit). */
export const SANDBOX_MAX_MEDIA_BYTES = 8 * 1024 * 1024;

export const sandboxMessageId = () => `wamid.SANDBOX${randomBytes(12).toString('hex').toUpperCase()}`;

export async function sendSandbox(ctx: SandboxSendContext, payload: OutboundPayload): Promise<SendResult> {
  if (payload.to.kind !== 'wa_id' || !/^\d{6,15}$/.test(payload.to.value)) {
    return {
      ok: false,
      transient: false,
      code: 'invalid_recipient',
      reason: 'The simulated phone only answers to a phone number.',
    };
  }
  let text = payload.text ?? null;
  let media: { mimeType: string; filename: string; size: number; data: Buffer } | null = null;
  if (payload.kind === 'template') {
    const t = payload.template;
    if (!t)
      return { ok: false, transient: false, code: 'invalid_payload', reason: 'Template message without a template.' };
    text = `📋 Template “${t.name}” (${t.language})${t.params.length ? `: ${t.params.join(' · ')}` : ''}`;
  } else if (payload.kind !== 'text') {
    if (!payload.media)
      return { ok: false, transient: false, code: 'invalid_payload', reason: 'Media message without a file.' };
    if (payload.media.bytes.length > SANDBOX_MAX_MEDIA_BYTES) {
      return {
        ok: false,
        transient: false,
        code: 'media_too_large',
        reason: 'The simulated phone accepts files up to 8 MB.',
      };
    }
    media = {
      mimeType: payload.media.mimeType,
      filename: payload.media.filename,
      size: payload.media.bytes.length,
      data: payload.media.bytes,
    };
  } else if (!text) {
    return { ok: false, transient: false, code: 'invalid_payload', reason: 'Empty text message.' };
  }
  const providerMessageId = sandboxMessageId();
  try {
    const doc = await sandboxPhoneStore.record({
      channelId: ctx.channelId,
      phone: payload.to.value,
      from: 'business',
      providerMessageId,
      kind: payload.kind,
      text,
      media,
    });
    phoneHub.deliver({ channelId: ctx.channelId, phone: payload.to.value, message: toPhoneMessage(doc) });
  } catch (err) {
    // Nothing was stored on the phone: safe to retry.
    return {
      ok: false,
      transient: true,
      code: 'sandbox_unavailable',
      reason: `The simulated phone could not take the message (${(err as Error).message}).`,
    };
  }
  return { ok: true, providerMessageId };
}
