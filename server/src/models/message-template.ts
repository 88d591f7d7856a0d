// Message templates (WhatsApp-style): admin-managed name + language + category + body with {{1}} variables and
// an approved flag. Only approved templates can be sent (outside the reply window this is the only way to
// start a conversation). Unique per (name, language). The provider's own status and category arrive by webhook.
import { Schema, model, type InferSchemaType } from 'mongoose';

const templateSchema = new Schema(
  {
    name: { type: String, required: true, trim: true },
    language: { type: String, required: true, trim: true },
    category: { type: String, enum: ['marketing', 'utility', 'authentication'], required: true },
    body: { type: String, required: true },
    approved: { type: Boolean, default: false },
    /** The provider's status (template status webhooks): rejected / paused / disabled / … ones cannot be sent. */
    providerStatus: {
      type: String,
      enum: ['approved', 'pending', 'rejected', 'paused', 'disabled', 'archived', 'deleted', 'flagged', null],
      default: null,
    },
    providerStatusReason: { type: String, default: null },
    providerStatusAt: { type: Date, default: null },
    providerTemplateId: { type: String, default: null },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User', default: null },
  },
  { timestamps: true },
);
templateSchema.index({ name: 1, language: 1 }, { unique: true });

export type MessageTemplateRecord = InferSchemaType<typeof templateSchema>;
export const MessageTemplateModel = model('MessageTemplate', templateSchema, 'message_templates');
