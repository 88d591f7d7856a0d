// The audit trail: append-only, hash-chained entries (each entry's hash covers the previous hash and its own
// content), so any edited, inserted or removed entry is detectable. Never updated or deleted by the app.
import { Schema, model, type InferSchemaType } from 'mongoose';

const auditEntrySchema = new Schema(
  {
    /** 1, 2, 3 … — unique, gap-free order of the chain. */
    seq: { type: Number, required: true, unique: true },
    at: { type: Date, required: true },
    actor: {
      type: { type: String, enum: ['user', 'integration', 'customer', 'system'], required: true },
      id: { type: String, default: null },
      name: { type: String, default: null },
    },
    /** e.g. auth.login, message.sent, message.blocked, contact.revealed, consent.changed, user.role_changed */
    action: { type: String, required: true },
    target: {
      type: { type: String, default: null },
      id: { type: String, default: null },
    },
    /** Free-form facts (never a real phone number or message body of a customer). */
    details: { type: Schema.Types.Mixed, default: {} },
    prevHash: { type: String, required: true },
    hash: { type: String, required: true },
  },
  { versionKey: false, minimize: false },
);
auditEntrySchema.index({ action: 1, at: -1 });
auditEntrySchema.index({ 'actor.id': 1, at: -1 });
auditEntrySchema.index({ 'target.id': 1, at: -1 });
auditEntrySchema.index({ at: -1 });

export type AuditEntryRecord = InferSchemaType<typeof auditEntrySchema>;
export const AuditEntryModel = model('AuditEntry', auditEntrySchema, 'audit_entries');
