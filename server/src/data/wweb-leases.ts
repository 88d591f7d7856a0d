// The linked-number lease store (wweb_leases): which process may run a linked WhatsApp number's browser, by
// channel id (owner + expiresAt). Taking is one atomic upsert: the lease is free, expired or already ours, else the
// upsert hits the unique _id and is refused. Must never hand out an unexpired lease held by another owner.
import { isDuplicateKey } from './errors.js';
import { WwebLeaseModel } from '../models/wweb-lease.js';

export interface WwebLeaseStore {
  /** Takes or renews the lease until `expiresAt`; false when another live owner holds it. */
  take(channelId: string, owner: string, now: Date, expiresAt: Date): Promise<boolean>;
  /** Gives the lease up if `owner` still holds it. */
  release(channelId: string, owner: string): Promise<void>;
  /** The lease as stored (possibly expired), or null. */
  get(channelId: string): Promise<{ owner: string; expiresAt: Date } | null>;
}

export const mongoWwebLeases: WwebLeaseStore = {
  async take(channelId, owner, now, expiresAt) {
    try {
      const doc = await WwebLeaseModel.findOneAndUpdate(
        { _id: channelId, $or: [{ owner }, { expiresAt: { $lte: now } }] },
        { $set: { owner, expiresAt } },
        { upsert: true, returnDocument: 'after' },
      ).lean();
      return doc?.owner === owner;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  },
  async release(channelId, owner) {
    await WwebLeaseModel.deleteOne({ _id: channelId, owner });
  },
  get: async (channelId) => await WwebLeaseModel.findById(channelId).lean(),
};
