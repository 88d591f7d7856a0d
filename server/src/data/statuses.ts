// The pending status store: delivery statuses that arrived before the sender stored their provider id
// (pending_statuses, expiring after a week), parked until that id is known. Must never touch messages (the message
// store applies statuses) and never decide the order statuses apply in.
import type { Id } from './ids.js';
import { PendingStatusModel, type PendingStatusRecord } from '../models/pending-status.js';

export type PendingStatusLean = PendingStatusRecord & { _id: Id };

export interface ParkedStatus {
  channelId: string;
  providerMessageId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  timestamp: Date;
  error: { code: string; reason: string } | null;
  pricing?: { category: string; billable: boolean; type: string | null; model: string | null } | null;
}

export interface PendingStatusStore {
  /** Parks a status for a provider id not stored yet. */
  park(s: ParkedStatus): Promise<void>;
  /** The statuses parked for a provider id. */
  parkedFor(channelId: string, providerMessageId: string): Promise<PendingStatusLean[]>;
  /** Forgets parked statuses (applied). */
  forget(ids: Id[]): Promise<void>;
}

export const mongoPendingStatuses: PendingStatusStore = {
  park: async (s) => {
    await PendingStatusModel.create(s);
  },
  parkedFor: async (channelId, providerMessageId) =>
    (await PendingStatusModel.find({ channelId, providerMessageId }).lean()) as PendingStatusLean[],
  forget: async (ids) => {
    await PendingStatusModel.deleteMany({ _id: { $in: ids } });
  },
};
