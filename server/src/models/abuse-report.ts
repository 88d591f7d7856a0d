// Abuse reports filed by customers with a report keyword (REPORT, DENUNCIAR, SIGNALER, MELDEN…): one record
// per report, shown to supervisors in the review queue until resolved. Never holds the customer's text.
import { Schema, model, type InferSchemaType } from 'mongoose';

const abuseReportSchema = new Schema(
  {
    conversationId: { type: Schema.Types.ObjectId, ref: 'Conversation', required: true },
    channelId: { type: Schema.Types.ObjectId, ref: 'Channel', required: true },
    contactId: { type: Schema.Types.ObjectId, ref: 'Contact', required: true },
    /** The inbound message that was the keyword. */
    messageId: { type: Schema.Types.ObjectId, ref: 'Message', required: true },
    /** Normalised keyword language (en, es, pt, fr, it, de). */
    language: { type: String, required: true },
    status: { type: String, enum: ['open', 'resolved'], default: 'open' },
    resolvedBy: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    resolvedAt: { type: Date, default: null },
    resolutionNote: { type: String, default: null },
  },
  { timestamps: true },
);
abuseReportSchema.index({ status: 1, createdAt: -1 });

export type AbuseReportRecord = InferSchemaType<typeof abuseReportSchema>;
export const AbuseReportModel = model('AbuseReport', abuseReportSchema, 'abuse_reports');
