// Retention: a periodic sweep that clears message bodies (text, media files, referral/reply payloads) older than
// MESSAGE_BODY_RETENTION_DAYS (0 = keep forever) and deletes raw webhook payloads past their expiry
// (WEBHOOK_RETENTION_DAYS, also a TTL index). Must never delete the message records themselves (counts,
// statuses and the audit trail stay) nor touch anything younger than the limit.
import { MessageModel } from '../models/message.js';
import { ConversationModel } from '../models/conversation.js';
import { WebhookEventModel } from '../models/webhook-event.js';
import { deleteMediaFile } from '../inbox/media.js';
import type { Logger } from '../logger.js';

export interface SweepResult {
  messages: number;
  mediaFiles: number;
  webhookEvents: number;
}

export async function sweepRetention(opts: { messageBodyDays: number; now?: Date }): Promise<SweepResult> {
  const now = opts.now ?? new Date();
  const result: SweepResult = { messages: 0, mediaFiles: 0, webhookEvents: 0 };
  if (opts.messageBodyDays > 0) {
    const cutoff = new Date(now.getTime() - opts.messageBodyDays * 86_400_000);
    const old = { createdAt: { $lt: cutoff } };
    const withMedia = await MessageModel.find({ ...old, 'media.fileId': { $ne: null } })
      .select('media')
      .lean();
    for (const m of withMedia) {
      if (!m.media?.fileId) continue;
      await deleteMediaFile(m.media.fileId).catch(() => {});
      result.mediaFiles++;
    }
    const r = await MessageModel.updateMany(
      {
        ...old,
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
    result.messages = r.modifiedCount;
    await ConversationModel.updateMany(
      { lastMessageAt: { $lt: cutoff }, lastMessagePreview: { $ne: null } },
      { $set: { lastMessagePreview: null } },
    );
  }
  // Processed or failed raw payloads past their expiry (the TTL index does the same where the database supports it).
  const w = await WebhookEventModel.deleteMany({ expireAt: { $lt: now }, state: { $in: ['done', 'failed'] } });
  result.webhookEvents = w.deletedCount;
  return result;
}

/** Runs the sweep now and then every `everyMs`; returns a stop function. */
export function startRetentionSweep(opts: { messageBodyDays: number; logger: Logger; everyMs?: number }): () => void {
  const run = () =>
    void sweepRetention({ messageBodyDays: opts.messageBodyDays }).then(
      (r) => {
        if (r.messages || r.webhookEvents) opts.logger.info({ retention: r }, 'retention sweep');
      },
      (err) => opts.logger.error({ err }, 'retention sweep failed'),
    );
  const first = setTimeout(run, 5_000);
  first.unref();
  const timer = setInterval(run, opts.everyMs ?? 3_600_000);
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
