// Conversions API outbox: one document per (event_id) — deterministic, unique, so an event is queued once.
// Workers claim a due item with a lease (state 'sending' + leaseUntil), safe with several processes; failures
// back off exponentially (honouring Retry-After) and end 'dead' for admins to see. Payload holds ctwa_clid/PSID:
// never returned by an API view.
import { Schema, model, type InferSchemaType } from 'mongoose';

const capiEventSchema = new Schema(
  {
    eventId: { type: String, required: true },
    eventName: { type: String, required: true },
    conversationId: { type: Schema.Types.ObjectId, ref: 'Conversation', required: true },
    contactId: { type: Schema.Types.ObjectId, ref: 'Contact', required: true },
    payload: { type: Schema.Types.Mixed, required: true, select: false },
    state: { type: String, enum: ['pending', 'sending', 'sent', 'dead', 'skipped'], default: 'pending' },
    attempts: { type: Number, default: 0 },
    nextAttemptAt: { type: Date, default: () => new Date() },
    leaseUntil: { type: Date, default: null },
    leaseOwner: { type: String, default: null },
    lastError: { type: String, default: null },
    sentAt: { type: Date, default: null },
  },
  { timestamps: true, minimize: false },
);
capiEventSchema.index({ eventId: 1 }, { unique: true });
capiEventSchema.index({ state: 1, nextAttemptAt: 1 });

export type CapiEventRecord = InferSchemaType<typeof capiEventSchema>;
export const CapiEventModel = model('CapiEvent', capiEventSchema);
