// Labels: named, coloured tags agents put on conversations (conversation.labelIds). Managed by admins and supervisors.
import { Schema, model, type InferSchemaType } from 'mongoose';

const labelSchema = new Schema(
  {
    name: { type: String, required: true, trim: true },
    /** Lower-cased name: unique, so "VIP" and "vip" are one label. */
    key: { type: String, required: true, unique: true },
    color: { type: String, required: true },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User', default: null },
  },
  { timestamps: true },
);

export type LabelRecord = InferSchemaType<typeof labelSchema>;
export const LabelModel = model('Label', labelSchema, 'labels');
