// Storage of the one retry after Meta's per-user marketing limit (WhatsApp error 131049): marks the failed message
// with its reason and schedules the retry on it (once: only a message with no retry scheduled, that is not itself
// a retry), claims due retries one at a time (atomic, safe with several processes) and records how each ended.
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
      { $set: { 'marketingRetry.state': 'sending' } },
      { sort: { 'marketingRetry.at': 1 }, returnDocument: 'after' },
    ).lean()) as MessageLean | null;
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
