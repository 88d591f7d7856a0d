// The sandbox phone store (sandbox_messages): what the simulated customer phone has sent and received — the fake
// provider's own storage, kept apart from Parley's inbox records (the inbox never reads it, and it never reads the
// inbox's). Records leave as plain lean objects. Must never touch another collection.
import { Schema, model, type InferSchemaType } from 'mongoose';
import type { Id } from './ids.js';

const sandboxMessageSchema = new Schema(
  {
    channelId: { type: String, required: true },
    /** The simulated customer's number (digits). */
    phone: { type: String, required: true },
    from: { type: String, enum: ['customer', 'business'], required: true },
    providerMessageId: { type: String, required: true },
    kind: { type: String, required: true },
    text: { type: String, default: null },
    media: {
      type: new Schema({ mimeType: String, filename: String, size: Number, data: Buffer }, { _id: false }),
      default: null,
    },
    /** Business messages: when the phone displayed them (the delivered/read webhooks were sent). */
    readAt: { type: Date, default: null },
    createdAt: { type: Date, default: () => new Date() },
  },
  { minimize: false },
);
sandboxMessageSchema.index({ channelId: 1, phone: 1, createdAt: 1 });
sandboxMessageSchema.index({ providerMessageId: 1 }, { unique: true });

export type SandboxMessageRecord = InferSchemaType<typeof sandboxMessageSchema>;
const SandboxMessageModel = model('SandboxMessage', sandboxMessageSchema, 'sandbox_messages');

export type SandboxMessageLean = SandboxMessageRecord & { _id: Id };
export type NewSandboxMessage = Pick<SandboxMessageRecord, 'channelId' | 'phone' | 'from' | 'providerMessageId' | 'kind'> &
  Partial<Pick<SandboxMessageRecord, 'text' | 'media' | 'createdAt'>>;

export const sandboxPhoneStore = {
  /** Stores a message the phone sent or received. */
  record: async (m: NewSandboxMessage): Promise<SandboxMessageLean> =>
    (await SandboxMessageModel.create(m)).toObject() as SandboxMessageLean,

  /** The newest 200 messages of a phone on a channel, newest first, without media bytes. */
  history: async (channelId: string, phone: string): Promise<SandboxMessageLean[]> =>
    (await SandboxMessageModel.find({ channelId, phone })
      .sort({ createdAt: -1 })
      .limit(200)
      .select('-media.data') // the history lists media by URL; the bytes are served by /sandbox/api/media/:id
      .lean()) as SandboxMessageLean[],

  /** Marks a business message displayed (once); null when it was displayed already or is unknown. */
  markRead: async (channelId: string, phone: string, providerMessageId: string): Promise<SandboxMessageLean | null> =>
    (await SandboxMessageModel.findOneAndUpdate(
      { channelId, phone, from: 'business', providerMessageId, readAt: null },
      { $set: { readAt: new Date() } },
    ).lean()) as SandboxMessageLean | null,

  /** Undoes markRead (the read receipt could not be delivered). */
  unmarkRead: async (id: Id): Promise<void> => {
    await SandboxMessageModel.updateOne({ _id: id }, { $set: { readAt: null } });
  },

  /** A business message (with its media bytes), or null. */
  businessMessage: async (providerMessageId: string): Promise<SandboxMessageLean | null> =>
    (await SandboxMessageModel.findOne({ providerMessageId, from: 'business' }).lean()) as SandboxMessageLean | null,
};
