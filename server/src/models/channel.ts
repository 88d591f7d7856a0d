// Channel records: one per connected inbox (a WhatsApp Cloud number, a Messenger page, the sandbox, a linked
// whatsapp-web number). Non-secret settings in `config`, tokens and app secrets in `secrets` (never selected by
// default, never returned by the API).
import { Schema, model, type InferSchemaType, type HydratedDocument } from 'mongoose';
import { ChannelKindSchema, ChannelStateSchema } from '../../../shared/src/index.js';

const channelSchema = new Schema(
  {
    kind: { type: String, enum: ChannelKindSchema.options, required: true },
    name: { type: String, required: true, trim: true },
    /** Provider routing key: WhatsApp phone_number_id, Messenger page id, sandbox phone id, whatsapp-web client id. */
    externalId: { type: String, required: true },
    /** Non-secret settings (e.g. businessAccountId, displayNumber). */
    config: { type: Schema.Types.Mixed, default: {} },
    /** accessToken, appSecret, verifyToken, pageToken … write-only through the API. */
    secrets: { type: Schema.Types.Mixed, default: {}, select: false },
    state: { type: String, enum: ChannelStateSchema.options, default: 'idle' },
    stateReason: { type: String, default: null },
    displayNumber: { type: String, default: null },
    /** 'env': created/updated from environment variables at boot; 'console': managed in the admin screen. */
    source: { type: String, enum: ['env', 'console'], default: 'console' },
  },
  { timestamps: true, minimize: false },
);
channelSchema.index({ kind: 1, externalId: 1 }, { unique: true });

export type ChannelRecord = InferSchemaType<typeof channelSchema>;
export type ChannelDoc = HydratedDocument<ChannelRecord>;
export const ChannelModel = model('Channel', channelSchema);
