// Conversions API outbox storage: the attributable lead of a conversation (with its click id / PSID) and its
// channel's WhatsApp business account, queueing an event once (unique event id: 'duplicate' the second time),
// claiming the next due item with a lease, recording an attempt's outcome (only by the lease holder), marking
// items left mid-send dead, the admin list and retry. Must never return the payload except to the sending worker.
import type { CapiEventRecord } from '../models/capi-event.js';
import { CapiEventModel } from '../models/capi-event.js';
import { ChannelModel } from '../models/channel.js';
import { LeadModel, type LeadRecord } from '../models/lead.js';
import { isId, type Id } from './ids.js';

export type CapiEventLean = CapiEventRecord & { _id: Id; createdAt?: Date | null };
export type CapiState = 'pending' | 'sending' | 'sent' | 'dead' | 'skipped';

export interface CapiStore {
  /** The conversation's lead with its provider identifiers. */
  leadWithIdentifiers(conversationId: string): Promise<(LeadRecord & { _id: Id }) | null>;
  /** The WhatsApp business account id of a channel, if set. */
  wabaIdOf(channelId: Id): Promise<string | undefined>;
  queue(e: { eventId: string; eventName: string; conversationId: string; contactId: Id; payload: unknown }): Promise<
    'queued' | 'duplicate'
  >;
  /** Items whose sending lease ran out: dead (never re-sent blind). */
  deadenInterrupted(now: Date, reason: string): Promise<void>;
  /** Claims the next due pending item for `owner` until `leaseUntil` (one more attempt), with its payload. */
  claimNext(now: Date, leaseUntil: Date, owner: string): Promise<CapiEventLean | null>;
  /** Sets fields of an item still held by this owner's lease. */
  settle(id: Id, owner: string, set: Record<string, unknown>): Promise<void>;
  list(state?: CapiState): Promise<CapiEventLean[]>;
  /** Dead → pending now, attempts reset; false when it is not dead. */
  retry(id: string): Promise<boolean>;
}

export const mongoCapiStore: CapiStore = {
  async leadWithIdentifiers(conversationId) {
    return LeadModel.findOne({ conversationId }).select('+ctwaClid +pageId +psid').lean();
  },
  async wabaIdOf(channelId) {
    const ch = await ChannelModel.findById(channelId).select('config').lean();
    // Channels keep the WhatsApp Business Account id as config.businessAccountId (env or the admin's form).
    return (ch?.config as { businessAccountId?: string | null } | null)?.businessAccountId ?? undefined;
  },
  async queue(e) {
    try {
      await CapiEventModel.create(e);
      return 'queued';
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return 'duplicate';
      throw err;
    }
  },
  async deadenInterrupted(now, reason) {
    await CapiEventModel.updateMany(
      { state: 'sending', leaseUntil: { $lt: now } },
      { $set: { state: 'dead', lastError: reason, leaseUntil: null } },
    );
  },
  async claimNext(now, leaseUntil, owner) {
    return CapiEventModel.findOneAndUpdate(
      { state: 'pending', nextAttemptAt: { $lte: now } },
      { $set: { state: 'sending', leaseUntil, leaseOwner: owner }, $inc: { attempts: 1 } },
      { returnDocument: 'after', sort: { nextAttemptAt: 1 } },
    )
      .select('+payload')
      .lean();
  },
  async settle(id, owner, set) {
    await CapiEventModel.updateOne({ _id: id, state: 'sending', leaseOwner: owner }, { $set: set });
  },
  async list(state) {
    const filter = state ? { state } : {};
    return CapiEventModel.find(filter).sort({ createdAt: -1 }).limit(200).lean();
  },
  async retry(id) {
    if (!isId(id)) return false;
    const r = await CapiEventModel.updateOne(
      { _id: id, state: 'dead' },
      { $set: { state: 'pending', nextAttemptAt: new Date(), attempts: 0 } },
    );
    return r.modifiedCount === 1;
  },
};
