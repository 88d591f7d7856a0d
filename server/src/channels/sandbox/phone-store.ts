// The simulated customer phone's own side of the sandbox: what the phone has sent and received (collection
// `sandbox_messages`), plus an in-process hub that pushes the business's replies to open /sandbox pages. This is the
// fake provider's storage, not Parley's inbox: Parley's models never read it, and it never reads Parley's models.
import { EventEmitter } from 'node:events';
import { Schema, model, type InferSchemaType } from 'mongoose';
import type { PhoneMessage } from '../../../../shared/src/index.js';

const sandboxMessageSchema = new Schema(
  {
    channelId: { type: String, required: true },
    /** The simulated customer's number (digits). */
    phone: { type: String, required: true },
    from: { type: String, enum: ['customer', 'business'], required: true },
    providerMessageId: { type: String, required: true },
    kind: { type: String, required: true },
    text: { type: String, default: null },
    media: {
      type: new Schema({ mimeType: String, filename: String, size: Number, data: Buffer }, { _id: false }),
      default: null,
    },
    /** Business messages: when the phone displayed them (the delivered/read webhooks were sent). */
    readAt: { type: Date, default: null },
    createdAt: { type: Date, default: () => new Date() },
  },
  { minimize: false },
);
sandboxMessageSchema.index({ channelId: 1, phone: 1, createdAt: 1 });
sandboxMessageSchema.index({ providerMessageId: 1 }, { unique: true });

export type SandboxMessageRecord = InferSchemaType<typeof sandboxMessageSchema>;
export const SandboxMessageModel = model('SandboxMessage', sandboxMessageSchema, 'sandbox_messages');

export type { PhoneMessage };

export function toPhoneMessage(m: {
  providerMessageId: string;
  from: string;
  kind: string;
  text?: string | null;
  createdAt?: Date | null;
  media?: { mimeType?: string | null; filename?: string | null } | null;
}): PhoneMessage {
  const out: PhoneMessage = {
    id: m.providerMessageId,
    from: m.from as PhoneMessage['from'],
    kind: m.kind,
    text: m.text ?? null,
    at: (m.createdAt ?? new Date()).toISOString(),
  };
  if (m.media?.mimeType) {
    out.media = {
      url: `/sandbox/api/media/${encodeURIComponent(m.providerMessageId)}`,
      mimeType: m.media.mimeType,
      filename: m.media.filename ?? 'file',
    };
  }
  return out;
}

export interface PhoneEvent {
  channelId: string;
  phone: string;
  message: PhoneMessage;
}

class PhoneHub extends EventEmitter {
  deliver(e: PhoneEvent): void {
    this.emit('message', e);
  }
}
/** In-process: replies stored by sendSandbox reach the SSE streams of /sandbox pages open in this process. */
export const phoneHub = new PhoneHub();
phoneHub.setMaxListeners(0);
