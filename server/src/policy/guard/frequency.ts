// Guard 3 — frequency cap on business-initiated messages (sent when the customer has not written within the
// reply window: templates and proactive sends). At most N per contact in a rolling window, and none after M in a
// row the customer left unanswered. Replies inside an open window are never capped. Must never look at text.
import { mongoFrequencyStore } from '../../data/frequency.js';
import { guardSettings } from './settings.js';
import { Refusal, type GuardAllowance, type GuardContext } from './types.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const store = mongoFrequencyStore;

export async function checkFrequency(ctx: GuardContext): Promise<GuardAllowance | Refusal> {
  const caps = ctx.channel.capabilities;
  // Within the reply window (or Messenger's human-agent window) a message answers the customer.
  const windowMs = Math.max(caps.replyWindowHours ?? 24, caps.humanAgentWindowHours ?? 0) * HOUR;
  const now = ctx.now.getTime();
  const last = ctx.conversation.lastInboundAt?.getTime();
  if (last !== undefined && now - last <= windowMs) return {}; // a reply inside the customer's window
  const { max, days, unanswered } = guardSettings().frequency;
  const since = new Date(now - days * DAY - windowMs);
  const rows = await store.exchangesSince(ctx.contact.id, since);
  let lastIn = -Infinity;
  const lastInAny = (await store.lastInboundAt(ctx.contact.id))?.getTime() ?? -Infinity;
  let inPeriod = 0;
  let unansweredRun = 0;
  for (const m of rows) {
    const at = (m.createdAt ?? new Date(0)).getTime();
    if (m.direction === 'in') {
      lastIn = at;
      continue;
    }
    const businessInitiated = at - lastIn > windowMs;
    if (!businessInitiated) continue;
    if (at >= now - days * DAY) inPeriod++;
    if (at > lastInAny) unansweredRun++;
  }
  if (unanswered > 0 && unansweredRun >= unanswered) {
    return new Refusal(
      'frequency_capped',
      `The customer has not answered the last ${unansweredRun} messages we started: no more can be sent until they write back.`,
    );
  }
  if (inPeriod >= max) {
    return new Refusal(
      'frequency_capped',
      `This customer already received ${inPeriod} business-initiated messages in the last ${days} days (the limit is ${max}).`,
    );
  }
  return {};
}
