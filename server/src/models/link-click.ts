// One click on a tracked link: its short unguessable ref code (unique), campaign/ad, UTM parameters, fbclid, a
// coarse user-agent family and the landing opt-in if ticked. Never the raw IP or full user agent.
import { Schema, model, type InferSchemaType } from 'mongoose';

const linkClickSchema = new Schema(
  {
    code: { type: String, required: true },
    linkId: { type: Schema.Types.ObjectId, ref: 'TrackedLink', required: true },
    channelId: { type: Schema.Types.ObjectId, ref: 'Channel', required: true },
    campaignId: { type: Schema.Types.ObjectId, ref: 'Campaign', default: null },
    adId: { type: Schema.Types.ObjectId, ref: 'Ad', default: null },
    at: { type: Date, required: true },
    utm: { type: Schema.Types.Mixed, default: {} },
    fbclid: { type: String, default: null },
    uaFamily: { type: String, default: 'other' },
    /** Landing step: the marketing opt-in as shown and ticked (written to the consent ledger once matched). */
    optIn: { type: Schema.Types.Mixed, default: null },
    /** The conversation this click was matched to (first one wins). */
    conversationId: { type: Schema.Types.ObjectId, ref: 'Conversation', default: null },
  },
  { minimize: false },
);
linkClickSchema.index({ code: 1 }, { unique: true });
linkClickSchema.index({ at: 1, campaignId: 1 });
linkClickSchema.index({ at: 1, adId: 1 });

export type LinkClickRecord = InferSchemaType<typeof linkClickSchema>;
export const LinkClickModel = model('LinkClick', linkClickSchema);
