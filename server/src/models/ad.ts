// Ads of a campaign. `externalId` is Meta's ad id (referral source_id / ad_id): unique, so an ad seen for the
// first time in concurrent referrals is created once. Must never hold contact data.
import { Schema, model, type InferSchemaType } from 'mongoose';

const adSchema = new Schema(
  {
    campaignId: { type: Schema.Types.ObjectId, ref: 'Campaign', required: true },
    name: { type: String, required: true, trim: true },
    externalId: { type: String, default: null },
    headline: { type: String, default: null },
    creativeUrl: { type: String, default: null },
    sourceUrl: { type: String, default: null },
    autoCreated: { type: Boolean, default: false },
  },
  { timestamps: true, minimize: false },
);
adSchema.index({ externalId: 1 }, { unique: true, partialFilterExpression: { externalId: { $type: 'string' } } });
adSchema.index({ campaignId: 1 });

export type AdRecord = InferSchemaType<typeof adSchema>;
export const AdModel = model('Ad', adSchema);
