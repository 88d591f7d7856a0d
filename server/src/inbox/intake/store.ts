// The durable intake's write side: a verified webhook body is written raw BEFORE the webhook answers 200, so an
// acknowledged event survives a crash. The webhook event store shares one insert among concurrent webhooks: the
// write is acknowledged — journaled by the database — before any of them answers. An event may be written
// already claimed by this process (state processing, owner, lease) so it is processed from memory without a
// claim round trip; if the process dies, the lease runs out and any process claims it. Must never parse or
// interpret the body beyond what the route did, and never answer before the insert is acknowledged.
import { mongoWebhookEvents, type NewWebhookEvent, type WebhookEventStore } from '../../data/webhook-events.js';
import { newId, toId, type Id } from '../../data/ids.js';

export type IntakeSource = NewWebhookEvent['source'];

/** The fields of a stored event the processor works from. */
export interface IntakeEvent {
  _id: Id;
  source: IntakeSource;
  channelId: Id | null;
  body: string;
  receivedAt: Date;
  attempts: number;
  /** The body already parsed by the route, when the event is handed over in memory (never stored). */
  parsed?: unknown;
}

/** Written already claimed by this process. */
export interface IntakeClaim {
  owner: string;
  lockedUntil: Date;
}

export async function storeWebhookEvent(
  source: IntakeSource,
  body: string,
  retentionDays: number,
  channelId: Id | string | null = null,
  claim: IntakeClaim | null = null,
  events: WebhookEventStore = mongoWebhookEvents,
): Promise<IntakeEvent> {
  const now = new Date();
  const doc: NewWebhookEvent = {
    _id: newId(),
    source,
    channelId: channelId ? toId(String(channelId)) : null,
    body,
    receivedAt: now,
    state: claim ? 'processing' : 'pending',
    attempts: claim ? 1 : 0,
    owner: claim?.owner ?? null,
    lockedUntil: claim?.lockedUntil ?? null,
    lastError: null,
    processedAt: null,
    expireAt: new Date(now.getTime() + retentionDays * 24 * 3_600_000),
  };
  await events.insert(doc);
  return { _id: doc._id, source, channelId: doc.channelId, body, receivedAt: now, attempts: doc.attempts };
}
