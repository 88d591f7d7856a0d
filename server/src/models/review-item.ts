// Review queue entries for held outbound messages: who wanted to send what (the original request, so an approval
// can send exactly that through the guard), why it is held, and the supervisor's decision. Abuse reports live in
// their own model (abuse-report.ts). Must never be used to send without the guard.
import { Schema, model, type InferSchemaType } from 'mongoose';

const reviewItemSchema = new Schema(
  {
    messageId: { type: Schema.Types.ObjectId, ref: 'Message', required: true, unique: true },
    conversationId: { type: Schema.Types.ObjectId, ref: 'Conversation', required: true },
    contactId: { type: Schema.Types.ObjectId, ref: 'Contact', required: true },
    sender: {
      type: { type: String, enum: ['user', 'integration'], required: true },
      id: { type: String, required: true },
      name: { type: String, default: null },
    },
    /** The send request as given: {text} or {template}. */
    request: { type: Schema.Types.Mixed, required: true },
    /** Why it is held: integration_unapproved, or a guard code (held_for_review). */
    reason: { code: { type: String, required: true }, message: { type: String, default: null } },
    state: { type: String, enum: ['pending', 'approved', 'rejected', 'refused'], default: 'pending' },
    note: { type: String, default: null },
    decidedBy: { type: String, default: null },
    decidedAt: { type: Date, default: null },
  },
  { timestamps: true },
);
reviewItemSchema.index({ state: 1, createdAt: -1 });
reviewItemSchema.index({ 'sender.type': 1, 'sender.id': 1, state: 1 });

export type ReviewItemRecord = InferSchemaType<typeof reviewItemSchema>;
export const ReviewItemModel = model('ReviewItem', reviewItemSchema, 'review_items');
