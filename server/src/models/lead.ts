// The lead record of a conversation (one per conversation): where it came from (source, campaign, ad, click),
// when the chat started, first response, stage with history, conversion value. ctwa_clid / PSID / page id are
// kept here server-side only (Conversions API) and never leave through an API view.
import { Schema, model, type InferSchemaType } from 'mongoose';

const leadSchema = new Schema(
  {
    conversationId: { type: Schema.Types.ObjectId, ref: 'Conversation', required: true },
    channelId: { type: Schema.Types.ObjectId, ref: 'Channel', required: true },
    contactId: { type: Schema.Types.ObjectId, ref: 'Contact', required: true },
    channelKind: { type: String, default: null },
    source: { type: String, enum: ['ctwa', 'ctm', 'link', 'organic'], required: true },
    campaignId: { type: Schema.Types.ObjectId, ref: 'Campaign', default: null },
    adId: { type: Schema.Types.ObjectId, ref: 'Ad', default: null },
    clickId: { type: Schema.Types.ObjectId, ref: 'LinkClick', default: null },
    clickedAt: { type: Date, default: null },
    firstMessageId: { type: Schema.Types.ObjectId, ref: 'Message', default: null },
    chatAt: { type: Date, required: true },
    /** Server-side only: ctwa_clid (WhatsApp), page id + PSID (Messenger). */
    ctwaClid: { type: String, default: null, select: false },
    pageId: { type: String, default: null, select: false },
    psid: { type: String, default: null, select: false },
    stage: { type: String, enum: ['new', 'answered', 'qualified', 'converted', 'lost'], default: 'new' },
    answeredAt: { type: Date, default: null },
    firstResponseSeconds: { type: Number, default: null },
    qualifiedAt: { type: Date, default: null },
    convertedAt: { type: Date, default: null },
    lostAt: { type: Date, default: null },
    value: { type: Number, default: null },
    currency: { type: String, default: null },
    history: { type: [Schema.Types.Mixed], default: [] },
  },
  { timestamps: true, minimize: false },
);
leadSchema.index({ conversationId: 1 }, { unique: true });
leadSchema.index({ chatAt: 1, campaignId: 1 });
leadSchema.index({ chatAt: 1, adId: 1 });

export type LeadRecord = InferSchemaType<typeof leadSchema>;
export const LeadModel = model('Lead', leadSchema);
