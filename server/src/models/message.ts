// Messages of a conversation, inbound and outbound, plus private notes and system lines. Unique on the
// provider message id per channel, so redeliveries and duplicate client events store one message. Outbound
// messages carry their outbox state (queued → sending → sent / failed), which the sender worker owns.
import { Schema, model, type InferSchemaType, type HydratedDocument } from 'mongoose';
import { MessageKindSchema, MessageStatusSchema } from '../../../shared/src/index.js';

const messageSchema = new Schema(
  {
    conversationId: { type: Schema.Types.ObjectId, ref: 'Conversation', required: true },
    channelId: { type: Schema.Types.ObjectId, ref: 'Channel', required: true },
    contactId: { type: Schema.Types.ObjectId, ref: 'Contact', required: true },
    direction: { type: String, enum: ['in', 'out'], required: true },
    kind: { type: String, enum: MessageKindSchema.options, required: true },
    text: { type: String, default: null },
    /** The original text when `text` is stored masked (numbers in system lines, contact cards): read only by the
     * audited reveal (and the data-subject export); never selected by default. */
    fullText: { type: String, default: null, select: false },
    media: {
      type: new Schema(
        {
          fileId: { type: Schema.Types.ObjectId, default: null },
          mimeType: { type: String, default: null },
          filename: { type: String, default: null },
          size: { type: Number, default: null },
          providerMediaId: { type: String, default: null },
          url: { type: String, default: null },
          /** pending: not fetched yet; stored: in GridFS; unavailable: provider had nothing. */
          state: { type: String, enum: ['pending', 'stored', 'unavailable'], default: 'pending' },
        },
        { _id: false },
      ),
      default: null,
    },
    status: { type: String, enum: MessageStatusSchema.options, required: true },
    statusAt: { type: Date, default: null },
    error: { type: new Schema({ code: String, reason: String }, { _id: false }), default: null },
    providerMessageId: { type: String },
    providerType: { type: String, default: null },
    providerTimestamp: { type: Date, default: null },
    authorId: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    template: { type: Schema.Types.Mixed, default: null },
    replyPayload: { type: String, default: null },
    contextProviderId: { type: String, default: null },
    reactionTo: { type: String, default: null },
    referral: { type: Schema.Types.Mixed, default: null },
    /** What WhatsApp bills for this outbound message (from its statuses): category, billable, type, model. */
    pricing: {
      type: new Schema({ category: String, billable: Boolean, type: { type: String }, model: String }, { _id: false }),
      default: null,
    },
    /** The message this one re-sends (the one retry after Meta's per-user marketing limit, error 131049). */
    retryOf: { type: Schema.Types.ObjectId, ref: 'Message', default: null },
    /** The one retry scheduled after error 131049: due `at` (≥ 24 h after the failure), then sent or refused. */
    marketingRetry: {
      type: new Schema(
        {
          state: { type: String, enum: ['scheduled', 'sending', 'sent', 'refused', 'failed'], required: true },
          at: { type: Date, required: true },
          messageId: { type: Schema.Types.ObjectId, default: null },
          code: { type: String, default: null },
          /** When a process took it (a retry left `sending` by a dead process is settled after a while). */
          claimedAt: { type: Date, default: null },
        },
        { _id: false },
      ),
      default: null,
    },
    outbox: {
      type: new Schema(
        {
          state: { type: String, enum: ['pending', 'sending', 'done', 'failed'], required: true },
          attempts: { type: Number, default: 0 },
          nextAttemptAt: { type: Date, default: null },
          lockedUntil: { type: Date, default: null },
          humanAgentTag: { type: Boolean, default: false },
        },
        { _id: false },
      ),
      default: null,
    },
  },
  { timestamps: true, minimize: false },
);
messageSchema.index(
  { channelId: 1, providerMessageId: 1 },
  { unique: true, partialFilterExpression: { providerMessageId: { $type: 'string' } } },
);
messageSchema.index({ conversationId: 1, createdAt: -1 });
messageSchema.index({ 'outbox.state': 1, 'outbox.nextAttemptAt': 1 });
messageSchema.index(
  { 'marketingRetry.state': 1, 'marketingRetry.at': 1 },
  { partialFilterExpression: { 'marketingRetry.state': { $type: 'string' } } },
);

export type MessageRecord = InferSchemaType<typeof messageSchema>;
export type MessageDoc = HydratedDocument<MessageRecord>;
export const MessageModel = model('Message', messageSchema);
