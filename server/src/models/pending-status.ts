// Delivery statuses that arrived before the message they refer to was known (the provider's status webhook
// can beat our own send call's response). Applied when the provider id is stored; expire after 7 days.
import { Schema, model, type InferSchemaType } from 'mongoose';

const pendingStatusSchema = new Schema({
  channelId: { type: Schema.Types.ObjectId, ref: 'Channel', required: true },
  providerMessageId: { type: String, required: true },
  status: { type: String, enum: ['sent', 'delivered', 'read', 'failed'], required: true },
  timestamp: { type: Date, required: true },
  error: { type: new Schema({ code: String, reason: String }, { _id: false }), default: null },
  pricing: { type: Schema.Types.Mixed, default: null },
  createdAt: { type: Date, default: () => new Date(), expires: 7 * 24 * 3600 },
});
pendingStatusSchema.index({ channelId: 1, providerMessageId: 1 });

export type PendingStatusRecord = InferSchemaType<typeof pendingStatusSchema>;
export const PendingStatusModel = model('PendingStatus', pendingStatusSchema, 'pending_statuses');
