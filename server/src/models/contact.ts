// Contacts: the customers. `phone` (E.164) and provider identities are personal data: only views for users
// with `contacts:reveal` may include them; everyone else sees the pseudonymous `handle` and a masked number (or a
// masked username when there is no number). A merged contact keeps its record with `mergedInto` set.
import { Schema, model, type InferSchemaType, type HydratedDocument } from 'mongoose';

const identitySchema = new Schema(
  { kind: { type: String, required: true }, value: { type: String, required: true } },
  { _id: false },
);

const contactSchema = new Schema(
  {
    /** Stable pseudonym shown to agents, e.g. "Amber Heron 42". */
    handle: { type: String, required: true, unique: true },
    displayName: { type: String, default: null },
    phone: { type: String, default: null },
    /** WhatsApp username when the customer set one (agents see it masked, e.g. "@ma•••"). */
    username: { type: String, default: null },
    /** Denormalised copy of contact_identities for this contact (the unique lookup lives there). */
    identities: { type: [identitySchema], default: [] },
    lastSeenAt: { type: Date, default: null },
    erasedAt: { type: Date, default: null },
    /** Set once, atomically, when this contact was merged into an older one (the one merge decision). */
    mergedInto: { type: Schema.Types.ObjectId, ref: 'Contact', default: null },
    mergedAt: { type: Date, default: null },
  },
  { timestamps: true },
);

export type ContactRecord = InferSchemaType<typeof contactSchema>;
export type ContactDoc = HydratedDocument<ContactRecord>;
export const ContactModel = model('Contact', contactSchema);
