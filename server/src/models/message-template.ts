// Message templates (WhatsApp-style): admin-managed name + language + category + body with {{1}} variables and
// an approved flag. Only approved templates can be sent (outside the reply window this is the only way to
// start a conversation). Unique per (name, language).
import { Schema, model, type InferSchemaType } from 'mongoose';

const templateSchema = new Schema(
  {
    name: { type: String, required: true, trim: true },
    language: { type: String, required: true, trim: true },
    category: { type: String, enum: ['marketing', 'utility', 'authentication'], required: true },
    body: { type: String, required: true },
    approved: { type: Boolean, default: false },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User', default: null },
  },
  { timestamps: true },
);
templateSchema.index({ name: 1, language: 1 }, { unique: true });

export type MessageTemplateRecord = InferSchemaType<typeof templateSchema>;
export const MessageTemplateModel = model('MessageTemplate', templateSchema, 'message_templates');
