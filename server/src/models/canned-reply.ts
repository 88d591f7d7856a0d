// Canned replies: short texts agents insert in the composer by shortcut. Managed by admins.
import { Schema, model, type InferSchemaType } from 'mongoose';

const cannedReplySchema = new Schema(
  {
    shortcut: { type: String, required: true, unique: true, lowercase: true, trim: true },
    title: { type: String, required: true, trim: true },
    text: { type: String, required: true },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User', default: null },
  },
  { timestamps: true },
);

export type CannedReplyRecord = InferSchemaType<typeof cannedReplySchema>;
export const CannedReplyModel = model('CannedReply', cannedReplySchema, 'canned_replies');
