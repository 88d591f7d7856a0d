// How the console orders a message's statuses, so a stale copy (the POST answer arriving after the `sent` event)
// never moves its ticks back: received < queued = held < sent < delivered < read < failed = blocked; of two equal
// ranks the newer one wins. Must never be used to decide what the server stores (its own rule is stricter).
import type { MessageStatus } from './inbox.js';

export const MESSAGE_STATUS_RANK: Readonly<Record<MessageStatus, number>> = {
  received: 0,
  queued: 1,
  held: 1,
  sent: 2,
  delivered: 3,
  read: 4,
  failed: 5,
  blocked: 5,
};

/** The status to show when `next` arrives for a message currently at `current`. */
export function laterStatus(current: MessageStatus, next: MessageStatus): MessageStatus {
  return MESSAGE_STATUS_RANK[next] >= MESSAGE_STATUS_RANK[current] ? next : current;
}
