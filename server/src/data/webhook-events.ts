// The webhook event store: verified webhook bodies kept raw (webhook_events) until the intake processor has
// applied them. Writes of one event-loop turn are coalesced — concurrent webhooks share one ordered `insert`
// (acknowledged, journaled, before any of them answers) and done events are marked with one `update` — while
// claims, lease renewals, hand-backs and failures are single atomic commands (safe with several processes).
// Must never parse a body, never answer an insert before it is acknowledged, and never mark an event done that
// this store was not asked to.
import { insertCommand, updateCommand } from './batched-model.js';
import { coalesce } from './coalesce.js';
import type { Id } from './ids.js';
import { WebhookEventModel } from '../models/webhook-event.js';

export type WebhookSource = 'whatsapp' | 'messenger' | 'whatsapp-web';

/** A stored event as the processor works from it. */
export interface StoredWebhookEvent {
  _id: Id;
  source: WebhookSource;
  channelId: Id | null;
  body: string;
  receivedAt: Date;
  attempts: number;
}

/** A new event document (written pending, or already claimed by the writing process). */
export type NewWebhookEvent = StoredWebhookEvent & {
  state: 'pending' | 'processing';
  owner: string | null;
  lockedUntil: Date | null;
  lastError: null;
  processedAt: null;
  expireAt: Date;
};

export interface WebhookEventStore {
  /** Stores an event durably; rejects when the write was not acknowledged (the webhook must not answer 200). */
  insert(doc: NewWebhookEvent): Promise<void>;
  /** Marks a processing event done. */
  markDone(id: Id): Promise<void>;
  /**
   * Claims the oldest claimable event for `owner` until `lockedUntil` (attempts + 1): pending and not waiting for a
   * retry, else processing with an expired lease (its process died). Null when there is none.
   */
  claimNext(owner: string, now: Date, lockedUntil: Date): Promise<StoredWebhookEvent | null>;
  /** When the earliest lease held by another owner runs out, or null when none is held. */
  nextForeignLeaseEnd(owner: string): Promise<Date | null>;
  /** Renews the leases of every event `owner` processes. */
  renewLeases(owner: string, lockedUntil: Date): Promise<void>;
  /** Hands processing events of `owner` back as pending (their claim's attempt undone). */
  release(ids: Id[], owner: string): Promise<void>;
  /** Records a failed attempt: pending again from `retryAt`, or failed for good (final). */
  recordFailure(id: Id, f: { final: boolean; retryAt: Date; error: string }): Promise<void>;
}

/** Bodies per `insert` command, in bytes: the whole command is one BSON document, which MongoDB caps at 16 MiB. */
export const INSERT_BATCH_BYTES = 8 * 1024 * 1024;

const insertEvents = coalesce<NewWebhookEvent, true>(
  async (docs) => {
    // One `insert` command for the batch; acknowledged only once journaled. Any write error fails them all (none
    // answers 200), so the provider redelivers.
    const errors = await insertCommand(WebhookEventModel, docs, true);
    if (errors.length)
      throw new Error(`storing webhook events failed: ${errors[0].errmsg ?? `code ${errors[0].code}`}`);
    return docs.map(() => true as const);
  },
  // A body is at most 1 MB (the webhook route's limit); 500 of them would not fit in one command.
  { weight: (doc) => Buffer.byteLength(doc.body) + 512, maxWeight: INSERT_BATCH_BYTES },
);

const markDone = coalesce<Id, true>(async (ids) => {
  const set = { state: 'done', processedAt: new Date(), lockedUntil: null, owner: null, lastError: null };
  await updateCommand(
    WebhookEventModel,
    [{ q: { _id: { $in: ids }, state: 'processing' }, u: { $set: set }, multi: true }],
    true,
  );
  return ids.map(() => true as const);
});

export const mongoWebhookEvents: WebhookEventStore = {
  insert: async (doc) => {
    await insertEvents(doc);
  },
  markDone: async (id) => {
    await markDone(id);
  },
  async claimNext(owner, now, lockedUntil) {
    // Two equality-on-state queries, so the {state, receivedAt} index serves them and done events (kept for the
    // retention period) are never scanned.
    const update = { $set: { state: 'processing', owner, lockedUntil }, $inc: { attempts: 1 } };
    const opts = { sort: { receivedAt: 1 }, returnDocument: 'after' } as const;
    const doc =
      (await WebhookEventModel.findOneAndUpdate(
        { state: 'pending', $or: [{ lockedUntil: null }, { lockedUntil: { $lte: now } }] },
        update,
        opts,
      ).lean()) ??
      (await WebhookEventModel.findOneAndUpdate(
        { state: 'processing', lockedUntil: { $lt: now } },
        update,
        opts,
      ).lean());
    return doc as StoredWebhookEvent | null;
  },
  async nextForeignLeaseEnd(owner) {
    const next = await WebhookEventModel.findOne({ state: 'processing', owner: { $ne: owner } })
      .sort({ lockedUntil: 1 })
      .select('lockedUntil')
      .lean();
    return next?.lockedUntil ?? null;
  },
  async renewLeases(owner, lockedUntil) {
    await WebhookEventModel.updateMany({ state: 'processing', owner }, { $set: { lockedUntil } });
  },
  async release(ids, owner) {
    await WebhookEventModel.updateMany(
      { _id: { $in: ids }, state: 'processing', owner },
      { $set: { state: 'pending', owner: null, lockedUntil: null }, $inc: { attempts: -1 } },
    );
  },
  async recordFailure(id, f) {
    await WebhookEventModel.updateOne(
      { _id: id },
      {
        $set: {
          state: f.final ? 'failed' : 'pending',
          owner: null,
          lockedUntil: f.final ? null : f.retryAt,
          lastError: f.error,
        },
      },
    );
  },
};
