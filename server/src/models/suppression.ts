// Suppression records of erased contacts: a keyed hash (policy/suppression.ts) of each identity (kind:value)
// and of the phone, so an erased customer is recognised (never re-contacted by business-initiated sends) without
// keeping who they were. Must never hold a clear identifier.
import { Schema, model, type InferSchemaType } from 'mongoose';

const suppressionSchema = new Schema(
  {
    hash: { type: String, required: true, unique: true },
    /** True for HMAC-keyed hashes; older records (unkeyed SHA-256) are re-keyed at start. */
    keyed: { type: Boolean, default: false },
    erasedAt: { type: Date, required: true },
    /** The erased contact record (now empty) this came from. */
    contactId: { type: Schema.Types.ObjectId, default: null },
  },
  { versionKey: false },
);

export type SuppressionRecord = InferSchemaType<typeof suppressionSchema>;
export const SuppressionModel = model('Suppression', suppressionSchema, 'suppressions');
