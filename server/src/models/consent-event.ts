// Consent ledger: one append-only event per change of a contact's consent for a purpose (marketing,
// ad_measurement), with how it was given or withdrawn, the exact text shown, evidence and actor. Current state is
// derived from the newest event per purpose. Events are never edited or deleted; a contact merge re-points them to
// the surviving contact (audited as contact.merged).
import { Schema, model, type InferSchemaType } from 'mongoose';

const consentEventSchema = new Schema(
  {
    contactId: { type: Schema.Types.ObjectId, ref: 'Contact', required: true },
    purpose: { type: String, enum: ['marketing', 'ad_measurement'], required: true },
    action: { type: String, enum: ['granted', 'withdrawn'], required: true },
    channelId: { type: Schema.Types.ObjectId, ref: 'Channel', default: null },
    method: {
      type: String,
      enum: ['keyword', 'button', 'landing_form', 'agent', 'api', 'provider'],
      required: true,
    },
    textVersion: { type: String, default: null },
    text: { type: String, default: null },
    evidence: {
      type: new Schema(
        {
          messageId: { type: String, default: null },
          clickId: { type: String, default: null },
          /** A provider event's id (marketing-preference webhook): recorded once however often it is delivered. */
          eventId: { type: String, default: null },
        },
        { _id: false },
      ),
      default: null,
    },
    actor: {
      type: new Schema(
        {
          type: { type: String, enum: ['user', 'integration', 'customer', 'system'], required: true },
          id: { type: String, default: null },
          name: { type: String, default: null },
        },
        { _id: false },
      ),
      required: true,
    },
    note: { type: String, default: null },
    at: { type: Date, required: true },
  },
  { timestamps: false, minimize: false },
);
consentEventSchema.index({ contactId: 1, purpose: 1, at: -1 });
consentEventSchema.index(
  { 'evidence.eventId': 1 },
  { unique: true, partialFilterExpression: { 'evidence.eventId': { $type: 'string' } } },
);

export type ConsentEventRecord = InferSchemaType<typeof consentEventSchema>;
export const ConsentEventModel = model('ConsentEvent', consentEventSchema, 'consent_events');
