// Delivery statuses of outbound messages (sent / delivered / read / failed), applied monotonically with one
// conditional update (never backwards; `failed` overrides anything except `read`), so duplicates and out-of-order
// webhooks are harmless. A status for a provider id we do not know yet is parked in pending_statuses and applied
// when the sender stores that id (applyPendingStatuses). Must never create messages and never emit on sockets.
import type { MessageStatus } from '../../../shared/src/index.js';
import { MessageStatusSchema } from '../../../shared/src/index.js';
import type { StatusUpdate } from '../channels/adapter.js';
import { storesOf, type InboxDeps } from './conversations.js';
import { isStatusProgress } from './outbound-status.js';
import { publishMessageUpdated } from '../events/publish.js';

const ALL: readonly MessageStatus[] = MessageStatusSchema.options;
const RANK: Record<string, number> = { sent: 1, delivered: 2, read: 4, failed: 3 };

/** Statuses from which moving to `next` is progress. */
const allowedFrom = (next: MessageStatus) => ALL.filter((current) => isStatusProgress(current, next));

export type StatusOutcome = 'applied' | 'ignored' | 'pending';

async function applyKnown(
  deps: InboxDeps,
  channelId: string,
  s: StatusUpdate,
): Promise<'applied' | 'ignored' | 'unknown'> {
  const set: Record<string, unknown> = { status: s.status, statusAt: s.timestamp };
  if (s.status === 'failed')
    set.error = s.error ?? { code: 'unknown', reason: 'The provider reported the message as failed' };
  if (s.pricing) set.pricing = s.pricing;
  const { messages } = storesOf(deps);
  const msg = await messages.advanceStatus(channelId, s.providerMessageId, allowedFrom(s.status), set);
  if (!msg) {
    // No status progress (our own send already marked it sent, a duplicate…): the pricing still counts.
    if (s.pricing)
      return (await messages.setPricing(channelId, s.providerMessageId, s.pricing)) ? 'ignored' : 'unknown';
    const exists = await messages.hasProviderId(channelId, s.providerMessageId);
    return exists ? 'ignored' : 'unknown';
  }
  const conversationId = String(msg.conversationId);
  deps.bus.publish('message.status', { channelId, conversationId, messageId: String(msg._id), status: s.status });
  // The reason of a failure travels with the full message view.
  if (s.status === 'failed') publishMessageUpdated(deps.bus, msg, { kind: 'system', id: 'provider' });
  return 'applied';
}

export async function applyStatus(deps: InboxDeps, channelId: string, s: StatusUpdate): Promise<StatusOutcome> {
  const r = await applyKnown(deps, channelId, s);
  if (r !== 'unknown') return r;
  const { messages, pendingStatuses } = storesOf(deps);
  await pendingStatuses.park({
    channelId,
    providerMessageId: s.providerMessageId,
    status: s.status,
    timestamp: s.timestamp,
    error: s.error ?? null,
    pricing: s.pricing ?? null,
  });
  // The sender may have stored this provider id between our lookup and the insert: apply now if so.
  if (await messages.hasProviderId(channelId, s.providerMessageId)) {
    await applyPendingStatuses(deps, channelId, s.providerMessageId);
  }
  return 'pending';
}

/** Applies (then forgets) statuses that arrived before this provider id was stored. Called by the sender. */
export async function applyPendingStatuses(
  deps: InboxDeps,
  channelId: string,
  providerMessageId: string,
): Promise<void> {
  const { pendingStatuses } = storesOf(deps);
  const pending = await pendingStatuses.parkedFor(channelId, providerMessageId);
  if (pending.length === 0) return;
  pending.sort((a, b) => (RANK[a.status] ?? 0) - (RANK[b.status] ?? 0));
  const done = [];
  for (const p of pending) {
    const r = await applyKnown(deps, channelId, {
      providerMessageId,
      status: p.status as StatusUpdate['status'],
      timestamp: p.timestamp,
      ...(p.error?.code ? { error: { code: p.error.code, reason: p.error.reason ?? '' } } : {}),
      ...(p.pricing ? { pricing: p.pricing as StatusUpdate['pricing'] } : {}),
    });
    if (r !== 'unknown') done.push(p._id);
  }
  if (done.length) await pendingStatuses.forget(done);
}
