// Retention: a periodic sweep that clears message bodies (text, media files, referral/reply payloads) older than
// MESSAGE_BODY_RETENTION_DAYS (0 = keep forever) and deletes raw webhook payloads past their expiry
// (WEBHOOK_RETENTION_DAYS, also a TTL index). Must never delete the message records themselves (counts,
// statuses and the audit trail stay) nor touch anything younger than the limit.
import { mongoRetentionStore, type RetentionStore } from '../data/retention.js';
import { deleteMediaFile } from '../inbox/media.js';
import type { Logger } from '../logger.js';

export interface SweepResult {
  messages: number;
  mediaFiles: number;
  webhookEvents: number;
}

export async function sweepRetention(
  opts: { messageBodyDays: number; now?: Date },
  store: RetentionStore = mongoRetentionStore,
): Promise<SweepResult> {
  const now = opts.now ?? new Date();
  const result: SweepResult = { messages: 0, mediaFiles: 0, webhookEvents: 0 };
  if (opts.messageBodyDays > 0) {
    const cutoff = new Date(now.getTime() - opts.messageBodyDays * 86_400_000);
    for (const fileId of await store.mediaFilesBefore(cutoff)) {
      await deleteMediaFile(fileId).catch(() => {});
      result.mediaFiles++;
    }
    result.messages = await store.clearBodiesBefore(cutoff);
    await store.clearPreviewsBefore(cutoff);
  }
  // Processed or failed raw payloads past their expiry (the TTL index does the same where the database supports it).
  result.webhookEvents = await store.deleteExpiredWebhookEvents(now);
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
