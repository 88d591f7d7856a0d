// Conversations: one thread between a contact and a channel. At most one is open per (channel, contact); a
// closed one reopens on new inbound. Holds the reply window, unread count and list-ordering fields.
import { Schema, model, type InferSchemaType, type HydratedDocument } from 'mongoose';

const conversationSchema = new Schema(
  {
    channelId: { type: Schema.Types.ObjectId, ref: 'Channel', required: true },
    contactId: { type: Schema.Types.ObjectId, ref: 'Contact', required: true },
    status: { type: String, enum: ['open', 'pending', 'snoozed', 'closed'], default: 'open' },
    assigneeId: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    /** The identity to send replies to on this channel ({kind, value}). */
    replyTo: { kind: { type: String, required: true }, value: { type: String, required: true } },
    lastMessageAt: { type: Date, default: null },
    lastInboundAt: { type: Date, default: null },
    windowExpiresAt: { type: Date, default: null },
    unreadCount: { type: Number, default: 0 },
    /** Short preview of the last message for the list (bodies are never shown to marketers). */
    lastMessagePreview: { type: String, default: null },
    /** Lower-cased text searched by the list's `q` (contact handle + display name + preview). */
    searchText: { type: String, default: '' },
    /** Referral that arrived before the first message (Messenger OPEN_THREAD), applied by attribution. */
    pendingReferral: { type: Schema.Types.Mixed, default: null },
    attribution: { type: Schema.Types.Mixed, default: null },
    lead: { type: Schema.Types.Mixed, default: null },
    closedAt: { type: Date, default: null },
    /** Label ids (labels collection); the list filters by one. */
    labelIds: { type: [Schema.Types.ObjectId], default: [] },
    /** While status is snoozed: when the snooze job reopens it (the customer's next message reopens it earlier). */
    snoozedUntil: { type: Date, default: null },
    /** `<channelId>:<contactId>` on the thread opened by inbound intake: makes concurrent first messages open one. */
    threadKey: { type: String },
    /** Set when this thread was folded into another one by a contact merge (closed, empty, out of the lists). */
    mergedInto: { type: Schema.Types.ObjectId, ref: 'Conversation', default: null },
  },
  { timestamps: true, minimize: false },
);
conversationSchema.index({ channelId: 1, contactId: 1, createdAt: -1 });
conversationSchema.index(
  { threadKey: 1 },
  { unique: true, partialFilterExpression: { threadKey: { $type: 'string' } } },
);
conversationSchema.index({ lastMessageAt: -1 });
conversationSchema.index({ channelId: 1, lastMessageAt: -1 });
conversationSchema.index({ assigneeId: 1, lastMessageAt: -1 });
conversationSchema.index({ status: 1, lastMessageAt: -1 });
conversationSchema.index({ labelIds: 1, lastMessageAt: -1 });
conversationSchema.index({ status: 1, snoozedUntil: 1 });

export type ConversationRecord = InferSchemaType<typeof conversationSchema>;
export type ConversationDoc = HydratedDocument<ConversationRecord>;
export const ConversationModel = model('Conversation', conversationSchema);
