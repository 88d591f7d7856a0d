// Per-sender ordering of channel events while the intake applies many at once: events with the same key (one
// customer on one channel, or one provider message for delivery statuses) run one after another in the order they
// were queued; different keys run concurrently. A failed event does not block the ones after it. Must never run two
// events of one key at the same time, and never keep a key once its queue is empty.
import type { ChannelEvent } from '../../channels/adapter.js';

/** The ordering key of a channel event. */
export function orderKey(channelId: string, e: ChannelEvent): string {
  if (e.type === 'status') return `${channelId}/status/${e.status.providerMessageId}`;
  const ids =
    e.type === 'message'
      ? e.message.identities
      : e.type === 'referral'
        ? e.referral.identities
        : e.type === 'identity_link'
          ? e.link.identities
          : e.preference.identities;
  const first = ids[0];
  return first ? `${channelId}/sender/${first.kind}:${first.value}` : `${channelId}/sender/?`;
}

function invoke(fn: () => Promise<void>): Promise<void> {
  try {
    return fn();
  } catch (err) {
    return Promise.reject(err);
  }
}

export class SenderOrder {
  private readonly tails = new Map<string, Promise<void>>();

  run(key: string, fn: () => Promise<void>): Promise<void> {
    const prev = this.tails.get(key);
    const run = prev ? prev.then(fn) : invoke(fn);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return run;
  }

  /** Keys with events queued or running (tests). */
  get size(): number {
    return this.tails.size;
  }
}
