// Ad campaigns (marketing registry). One "Unassigned" campaign (unassigned: true) collects ads first seen in a
// referral so no lead is dropped for lack of setup. Must never hold contact data.
import { Schema, model, type InferSchemaType } from 'mongoose';

const campaignSchema = new Schema(
  {
    name: { type: String, required: true, trim: true },
    platform: { type: String, enum: ['facebook', 'instagram', 'whatsapp', 'messenger', 'other'], default: 'facebook' },
    externalId: { type: String, default: null },
    budget: { type: Number, default: null },
    spend: { type: Number, default: null },
    currency: { type: String, default: null },
    startsAt: { type: Date, default: null },
    endsAt: { type: Date, default: null },
    /** Set (to 'unassigned') on the one catch-all campaign: unique, so concurrent referrals create it once. */
    systemKey: { type: String, default: null },
  },
  { timestamps: true, minimize: false },
);
campaignSchema.index({ systemKey: 1 }, { unique: true, partialFilterExpression: { systemKey: { $type: 'string' } } });

export type CampaignRecord = InferSchemaType<typeof campaignSchema>;
export const CampaignModel = model('Campaign', campaignSchema);
