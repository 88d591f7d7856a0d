// The durable intake store: every accepted provider event is written here, raw, BEFORE the webhook answers 200,
// then processed asynchronously. Kept (processed or not) until `expireAt` for debugging and replay.
import { Schema, model, type InferSchemaType, type HydratedDocument } from 'mongoose';

const webhookEventSchema = new Schema(
  {
    source: { type: String, enum: ['whatsapp', 'messenger', 'whatsapp-web'], required: true },
    /** Set when the source already knows the channel (whatsapp-web); webhooks are routed while processing. */
    channelId: { type: Schema.Types.ObjectId, ref: 'Channel', default: null },
    /** The raw body exactly as received (UTF-8 JSON text). */
    body: { type: String, required: true },
    receivedAt: { type: Date, required: true },
    state: { type: String, enum: ['pending', 'processing', 'done', 'failed'], default: 'pending' },
    attempts: { type: Number, default: 0 },
    /** The process holding the lease while processing (its heartbeat renews lockedUntil). */
    owner: { type: String, default: null },
    lockedUntil: { type: Date, default: null },
    lastError: { type: String, default: null },
    processedAt: { type: Date, default: null },
    expireAt: { type: Date, required: true },
  },
  { minimize: false },
);
webhookEventSchema.index({ state: 1, receivedAt: 1 });
webhookEventSchema.index({ expireAt: 1 }, { expireAfterSeconds: 0 });

export type WebhookEventRecord = InferSchemaType<typeof webhookEventSchema>;
export type WebhookEventDoc = HydratedDocument<WebhookEventRecord>;
export const WebhookEventModel = model('WebhookEvent', webhookEventSchema, 'webhook_events');
