// The durable intake store's write side: a verified webhook body is written raw (pending) BEFORE the webhook answers
// 200, so an acknowledged event survives a crash. Must never parse or interpret the body beyond what the route did.
import type { Types } from 'mongoose';
import { WebhookEventModel } from '../../models/webhook-event.js';

export type IntakeSource = 'whatsapp' | 'messenger' | 'whatsapp-web';

export async function storeWebhookEvent(
  source: IntakeSource,
  body: string,
  retentionDays: number,
  channelId: Types.ObjectId | string | null = null,
): Promise<string> {
  const now = new Date();
  const doc = await WebhookEventModel.create({
    source,
    channelId,
    body,
    receivedAt: now,
    state: 'pending',
    attempts: 0,
    expireAt: new Date(now.getTime() + retentionDays * 24 * 3_600_000),
  });
  return String(doc._id);
}
