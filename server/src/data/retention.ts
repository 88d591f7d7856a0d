// Retention storage: media files of messages older than a cutoff, emptying those messages' bodies (the records
// stay), emptying old conversation previews, and deleting processed raw webhook payloads past their expiry. Must
// never delete a message record nor touch anything younger than the cutoff.
import { ConversationModel } from '../models/conversation.js';
import { MessageModel } from '../models/message.js';
import { WebhookEventModel } from '../models/webhook-event.js';
import type { Id } from './ids.js';

export interface RetentionStore {
  /** Media file ids of messages created before the cutoff. */
  mediaFilesBefore(cutoff: Date): Promise<Id[]>;
  /** Empties the bodies of messages created before the cutoff; answers how many changed. */
  clearBodiesBefore(cutoff: Date): Promise<number>;
  /** Empties the previews of conversations whose last message is older than the cutoff. */
  clearPreviewsBefore(cutoff: Date): Promise<void>;
  /** Deletes done or failed webhook payloads that expired before `now`; answers how many. */
  deleteExpiredWebhookEvents(now: Date): Promise<number>;
}

export const mongoRetentionStore: RetentionStore = {
  async mediaFilesBefore(cutoff) {
    const rows = await MessageModel.find({ createdAt: { $lt: cutoff }, 'media.fileId': { $ne: null } })
      .select('media')
      .lean();
    return rows.flatMap((m) => (m.media?.fileId ? [m.media.fileId as Id] : []));
  },
  async clearBodiesBefore(cutoff) {
    const r = await MessageModel.updateMany(
      {
        createdAt: { $lt: cutoff },
        $or: [
          { text: { $ne: null } },
          { fullText: { $ne: null } },
          { media: { $ne: null } },
          { referral: { $ne: null } },
          { replyPayload: { $ne: null } },
        ],
      },
      { $set: { text: null, fullText: null, media: null, referral: null, replyPayload: null } },
    );
    return r.modifiedCount;
  },
  async clearPreviewsBefore(cutoff) {
    await ConversationModel.updateMany(
      { lastMessageAt: { $lt: cutoff }, lastMessagePreview: { $ne: null } },
      { $set: { lastMessagePreview: null } },
    );
  },
  async deleteExpiredWebhookEvents(now) {
    const w = await WebhookEventModel.deleteMany({ expireAt: { $lt: now }, state: { $in: ['done', 'failed'] } });
    return w.deletedCount;
  },
};
