// Funnel rollups: per UTC day and per campaign (kind 'campaign') or per ad (kind 'ad'), the counters the funnel
// report sums (clicks, chats, answered, qualified, converted, value) and the first-response times for the median.
// Kept up to date with $inc as clicks, leads and stages change, so the funnel over 100k conversations reads a
// few thousand small documents. `key` is the campaign/ad id, or '' for none (organic). Aggregates only.
import { Schema, model, type InferSchemaType } from 'mongoose';

const funnelDailySchema = new Schema(
  {
    kind: { type: String, enum: ['campaign', 'ad'], required: true },
    day: { type: String, required: true },
    key: { type: String, default: '' },
    clicks: { type: Number, default: 0 },
    chats: { type: Number, default: 0 },
    answered: { type: Number, default: 0 },
    qualified: { type: Number, default: 0 },
    converted: { type: Number, default: 0 },
    value: { type: Number, default: 0 },
    frt: { type: [Number], default: [] },
  },
  { minimize: false, versionKey: false },
);
funnelDailySchema.index({ kind: 1, day: 1, key: 1 }, { unique: true });

export type FunnelDailyRecord = InferSchemaType<typeof funnelDailySchema>;
export const FunnelDailyModel = model('FunnelDaily', funnelDailySchema);
