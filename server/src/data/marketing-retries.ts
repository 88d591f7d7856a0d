// Storage of the one retry after Meta's per-user marketing limit (WhatsApp error 131049): marks the failed message
// with its reason and schedules the retry on it (once: only a message with no retry scheduled, that is not itself
// a retry), claims due retries one at a time (atomic, safe with several processes), records how each ended, and
// settles a retry a dead process left half-way (sent when its re-send exists, else due again).
// Must never send anything and never schedule a second retry for a message.
import { MessageModel } from '../models/message.js';
import type { Id } from './ids.js';
import type { MessageLean } from './messages.js';

export type RetryEnd = { state: 'sent'; messageId: Id } | { state: 'refused' | 'failed'; code: string };

export interface MarketingRetryStore {
  /**
   * Sets the failure's error (code + reason) and, when `at` is given, schedules the retry; answers whether a
   * retry was scheduled now (false: one was already, or the message is itself a retry).
   */
  markLimited(id: Id, error: { code: string; reason: string }, at: Date | null): Promise<boolean>;
  /** Takes the oldest due retry (scheduled → sending); null when none is due. */
  claimDue(now: Date): Promise<MessageLean | null>;
  /**
   * A retry a dead process left `sending` since before `stale`: settled `sent` when its re-send was stored (never
   * sent twice), else handed back `scheduled`. Answers whether one was settled.
   */
  settleAbandoned(stale: Date): Promise<boolean>;
  /** Records how a claimed retry ended. */
  finish(id: Id, end: RetryEnd): Promise<void>;
}

export const mongoMarketingRetries: MarketingRetryStore = {
  async markLimited(id, error, at) {
    if (!at) {
      await MessageModel.updateOne({ _id: id }, { $set: { error } });
      return false;
    }
    const r = await MessageModel.updateOne(
      { _id: id, marketingRetry: null, retryOf: null },
      { $set: { error, marketingRetry: { state: 'scheduled', at, messageId: null, code: null } } },
    );
    if (r.modifiedCount === 1) return true;
    await MessageModel.updateOne({ _id: id }, { $set: { error } });
    return false;
  },
  async claimDue(now) {
    return (await MessageModel.findOneAndUpdate(
      { 'marketingRetry.state': 'scheduled', 'marketingRetry.at': { $lte: now } },
      { $set: { 'marketingRetry.state': 'sending', 'marketingRetry.claimedAt': now } },
      { sort: { 'marketingRetry.at': 1 }, returnDocument: 'after' },
    ).lean()) as MessageLean | null;
  },
  async settleAbandoned(stale) {
    const m = await MessageModel.findOne({
      'marketingRetry.state': 'sending',
      'marketingRetry.claimedAt': { $lt: stale },
    }).lean();
    if (!m) return false;
    const resent = await MessageModel.findOne({ retryOf: m._id }).select('_id').lean();
    const r = await MessageModel.updateOne(
      { _id: m._id, 'marketingRetry.state': 'sending', 'marketingRetry.claimedAt': m.marketingRetry!.claimedAt },
      {
        $set: resent
          ? { 'marketingRetry.state': 'sent', 'marketingRetry.messageId': resent._id }
          : { 'marketingRetry.state': 'scheduled', 'marketingRetry.claimedAt': null },
      },
    );
    return r.modifiedCount === 1;
  },
  async finish(id, end) {
    await MessageModel.updateOne(
      { _id: id, 'marketingRetry.state': 'sending' },
      {
        $set: {
          'marketingRetry.state': end.state,
          'marketingRetry.messageId': end.state === 'sent' ? end.messageId : null,
          'marketingRetry.code': end.state === 'sent' ? null : end.code,
        },
      },
    );
  },
};
