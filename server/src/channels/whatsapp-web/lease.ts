// Per-number ownership lease in MongoDB: a process may run a linked number's browser only while it holds the
// channel's lease (owner id + expiresAt, renewed periodically). Taking is atomic: the lease is free, expired or
// already ours, else the upsert hits the unique _id and we lose. Must never steal an unexpired lease.
import { WwebLeaseModel } from '../../models/wweb-lease.js';

export class WwebLease {
  constructor(
    readonly owner: string,
    private readonly ttlMs: number,
  ) {}

  /** Takes or renews the lease of a channel; false when another live owner holds it. */
  async acquire(channelId: string): Promise<boolean> {
    const now = new Date();
    try {
      const doc = await WwebLeaseModel.findOneAndUpdate(
        { _id: channelId, $or: [{ owner: this.owner }, { expiresAt: { $lte: now } }] },
        { $set: { owner: this.owner, expiresAt: new Date(now.getTime() + this.ttlMs) } },
        { upsert: true, returnDocument: 'after' },
      ).lean();
      return doc?.owner === this.owner;
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return false;
      throw err;
    }
  }

  /** Gives the lease up (only if still ours) so another process can take over at once. */
  async release(channelId: string): Promise<void> {
    await WwebLeaseModel.deleteOne({ _id: channelId, owner: this.owner });
  }

  /** The current owner, or null when free or expired. */
  static async ownerOf(channelId: string): Promise<string | null> {
    const doc = await WwebLeaseModel.findById(channelId).lean();
    return doc && doc.expiresAt.getTime() > Date.now() ? doc.owner : null;
  }
}
