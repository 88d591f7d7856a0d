// Status ranking shared by inbound status webhooks and the outbox: statuses only move forward
// (queued < sent < delivered < read); `failed` overrides anything except `read`. Must never touch models.
import type { MessageStatus } from '../../../shared/src/index.js';

const RANK: Partial<Record<MessageStatus, number>> = { queued: 0, sent: 1, delivered: 2, read: 3 };

/** True when moving from `current` to `next` is progress (never backwards, never out of read). */
export function isStatusProgress(current: MessageStatus, next: MessageStatus): boolean {
  if (current === next) return false;
  if (current === 'read') return false;
  if (next === 'failed') return true;
  if (current === 'failed') return false;
  const a = RANK[current];
  const b = RANK[next];
  return a !== undefined && b !== undefined && b > a;
}
