// The snooze sweep: reopens snoozed conversations whose time has come. Safe with several processes: each reopen is
// one atomic findOneAndUpdate (status snoozed → open), so a conversation is reopened — and published — once, by
// whichever process gets it first. Must never reopen a conversation before its time or emit socket events.
import type { EventBus } from '../events/bus.js';
import type { Logger } from '../logger.js';
import { mongoConversations, type ConversationStore } from '../data/conversations.js';
import { publishConversation } from './conversations.js';

/** Reopens every conversation due at `now`; answers how many this call reopened. */
export async function reopenDueSnoozes(
  deps: { bus: EventBus },
  now = new Date(),
  conversations: ConversationStore = mongoConversations,
): Promise<number> {
  let n = 0;
  for (let c = await conversations.reopenOneDueSnooze(now); c; c = await conversations.reopenOneDueSnooze(now)) {
    n++;
    await publishConversation(deps, c._id);
  }
  return n;
}

/** Runs the sweep every `everyMs`; returns a stop function. */
export function startSnoozeSweep(opts: { bus: EventBus; logger: Logger; everyMs: number }): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    reopenDueSnoozes(opts)
      .then((n) => {
        if (n) opts.logger.info({ reopened: n }, 'snoozed conversations reopened');
      })
      .catch((err) => opts.logger.error({ err }, 'snooze sweep failed'))
      .finally(() => {
        running = false;
      });
  }, opts.everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
