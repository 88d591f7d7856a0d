// Integrations: outside systems (e.g. a carrier's tracking updates) that send messages with a bearer token. Only a
// SHA-256 hash of the token is stored; the token itself is shown once at creation. They start unapproved: their
// messages are held until an admin approves the integration. Must never store or return the token.
import { Schema, model, type InferSchemaType } from 'mongoose';

const integrationSchema = new Schema(
  {
    name: { type: String, required: true },
    /** hex SHA-256 of the bearer token. */
    tokenHash: { type: String, required: true, unique: true },
    approved: { type: Boolean, default: false },
    approvedAt: { type: Date, default: null },
    approvedBy: { type: String, default: null },
    revokedAt: { type: Date, default: null },
    lastUsedAt: { type: Date, default: null },
    createdBy: { type: String, default: null },
  },
  { timestamps: true },
);

export type IntegrationRecord = InferSchemaType<typeof integrationSchema>;
export const IntegrationModel = model('Integration', integrationSchema);
