// Per-number ownership lease: a process may run a linked number's browser only while it holds the channel's lease
// (owner id + expiresAt, renewed periodically) in the lease store. Must never steal an unexpired lease.
import { mongoWwebLeases, type WwebLeaseStore } from '../../data/wweb-leases.js';

export class WwebLease {
  constructor(
    readonly owner: string,
    private readonly ttlMs: number,
    private readonly leases: WwebLeaseStore = mongoWwebLeases,
  ) {}

  /** Takes or renews the lease of a channel; false when another live owner holds it. */
  async acquire(channelId: string): Promise<boolean> {
    const now = new Date();
    return this.leases.take(channelId, this.owner, now, new Date(now.getTime() + this.ttlMs));
  }

  /** Gives the lease up (only if still ours) so another process can take over at once. */
  async release(channelId: string): Promise<void> {
    await this.leases.release(channelId, this.owner);
  }

  /** The current owner, or null when free or expired. */
  static async ownerOf(channelId: string, leases: WwebLeaseStore = mongoWwebLeases): Promise<string | null> {
    const doc = await leases.get(channelId);
    return doc && doc.expiresAt.getTime() > Date.now() ? doc.owner : null;
  }
}
