// One row per (identity kind, value) → contact: the unique lookup that resolves a customer by ANY identity
// (wa_id, business-scoped user_id, page-scoped PSID, whatsapp-web ids). Never key a contact on wa_id alone.
import { Schema, model, type InferSchemaType } from 'mongoose';

const contactIdentitySchema = new Schema(
  {
    kind: { type: String, required: true },
    value: { type: String, required: true },
    contactId: { type: Schema.Types.ObjectId, ref: 'Contact', required: true, index: true },
  },
  { timestamps: true },
);
contactIdentitySchema.index({ kind: 1, value: 1 }, { unique: true });

export type ContactIdentityRecord = InferSchemaType<typeof contactIdentitySchema>;
export const ContactIdentityModel = model('ContactIdentity', contactIdentitySchema, 'contact_identities');
