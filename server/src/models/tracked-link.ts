// Tracked click-to-chat links (/c/:slug): which channel they open, the campaign/ad they count for, the prefilled
// text and whether a landing step with the marketing opt-in is shown. `clicks` is a counter kept with each click.
import { Schema, model, type InferSchemaType } from 'mongoose';

const trackedLinkSchema = new Schema(
  {
    slug: { type: String, required: true },
    name: { type: String, required: true, trim: true },
    channelId: { type: Schema.Types.ObjectId, ref: 'Channel', required: true },
    campaignId: { type: Schema.Types.ObjectId, ref: 'Campaign', default: null },
    adId: { type: Schema.Types.ObjectId, ref: 'Ad', default: null },
    prefilledText: { type: String, default: '' },
    landing: { type: Boolean, default: false },
    clicks: { type: Number, default: 0 },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User', default: null },
  },
  { timestamps: true, minimize: false },
);
trackedLinkSchema.index({ slug: 1 }, { unique: true });

export type TrackedLinkRecord = InferSchemaType<typeof trackedLinkSchema>;
export const TrackedLinkModel = model('TrackedLink', trackedLinkSchema);
