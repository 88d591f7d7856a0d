// The durable intake store's write side: a verified webhook body is written raw BEFORE the webhook answers 200, so
// an acknowledged event survives a crash. Concurrent webhooks share one insertMany (coalesced per event-loop turn):
// the write is acknowledged — journaled by the database — before any of them answers. An event may be written
// already claimed by this process (state processing, owner, lease) so it is processed from memory without a
// claim round trip; if the process dies, the lease runs out and any process claims it. Must never parse or
// interpret the body beyond what the route did, and never answer before the insert is acknowledged.
import { Types } from 'mongoose';
import { WebhookEventModel } from '../../models/webhook-event.js';
import { coalesce } from '../../db/coalesce.js';
import { insertCommand } from '../../db/batched-model.js';

export type IntakeSource = 'whatsapp' | 'messenger' | 'whatsapp-web';

/** The fields of a stored event the processor works from. */
export interface IntakeEvent {
  _id: Types.ObjectId;
  source: IntakeSource;
  channelId: Types.ObjectId | null;
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

type EventDoc = IntakeEvent & {
  state: 'pending' | 'processing';
  owner: string | null;
  lockedUntil: Date | null;
  lastError: null;
  processedAt: null;
  expireAt: Date;
};

const insertEvents = coalesce<EventDoc, true>(async (docs) => {
  // One `insert` command for the batch; acknowledged only once journaled. Any write error fails them all (none
  // answers 200), so the provider redelivers.
  const errors = await insertCommand(WebhookEventModel, docs, true);
  if (errors.length) throw new Error(`storing webhook events failed: ${errors[0].errmsg ?? `code ${errors[0].code}`}`);
  return docs.map(() => true as const);
});

export async function storeWebhookEvent(
  source: IntakeSource,
  body: string,
  retentionDays: number,
  channelId: Types.ObjectId | string | null = null,
  claim: IntakeClaim | null = null,
): Promise<IntakeEvent> {
  const now = new Date();
  const doc: EventDoc = {
    _id: new Types.ObjectId(),
    source,
    channelId: channelId ? new Types.ObjectId(String(channelId)) : null,
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
  await insertEvents(doc);
  return { _id: doc._id, source, channelId: doc.channelId, body, receivedAt: now, attempts: doc.attempts };
}
