// Ownership leases for linked WhatsApp numbers: one document per whatsapp-web channel (_id = channel id) naming the
// server process that runs its browser until `expiresAt`. Must never be held by two owners at once (see
// channels/whatsapp-web/lease.ts for the atomic take/renew).
import { Schema, model, type InferSchemaType } from 'mongoose';

const wwebLeaseSchema = new Schema(
  {
    _id: { type: String, required: true },
    owner: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export type WwebLeaseRecord = InferSchemaType<typeof wwebLeaseSchema>;
export const WwebLeaseModel = model('WwebLease', wwebLeaseSchema, 'wweb_leases');
