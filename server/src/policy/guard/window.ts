// Guard 1 — the reply window (docs/channels.md): free-form messages only within the channel's window since
// the customer's last inbound message; outside it WhatsApp allows approved templates only, Messenger allows a
// human agent up to 7 days with the HUMAN_AGENT tag. A last inbound time a little ahead of now (clock skew) counts
// as now; one further ahead (a provider's future timestamp stored before intake clamped times) is not trusted and
// the window counts as closed, so it can never be held open for ever. Must never look at message content.
import { windowStage } from '../../../../shared/src/index.js';
import { MAX_FUTURE_SKEW_MS, clampToNow } from '../../channels/timestamps.js';
import { Refusal, type GuardAllowance, type GuardContext } from './types.js';

export function checkReplyWindow(ctx: GuardContext): GuardAllowance | Refusal {
  const caps = ctx.channel.capabilities;
  if (caps.replyWindowHours === null) return {};
  if (ctx.message.kind === 'template') {
    if (caps.templates) return {};
    return new Refusal('window_closed', 'This channel has no message templates.');
  }
  const lastAt = ctx.conversation.lastInboundAt;
  if (lastAt && lastAt.getTime() > ctx.now.getTime() + MAX_FUTURE_SKEW_MS) {
    return new Refusal(
      'window_closed',
      `The customer's last message carries a time in the future, so the reply window cannot be trusted: ${
        caps.templates ? 'only an approved template can be sent' : 'it can no longer be answered here'
      } until they write again.`,
    );
  }
  const last = lastAt ? clampToNow(lastAt, ctx.now).getTime() : undefined;
  const stage = windowStage(caps, last === undefined ? Infinity : ctx.now.getTime() - last);
  if (stage === 'open') return {};
  if (stage === 'human' && ctx.actor.type === 'user') return { humanAgentTag: true };
  if (last === undefined) {
    return new Refusal(
      'window_closed',
      caps.templates
        ? 'The customer has not written yet: start the conversation with an approved template.'
        : 'The customer has not written yet, and this channel cannot start conversations.',
    );
  }
  const hours = caps.humanAgentWindowHours ?? caps.replyWindowHours;
  return new Refusal(
    'window_closed',
    caps.templates
      ? `More than ${caps.replyWindowHours} hours have passed since the customer's last message: only an approved template can be sent now.`
      : `More than ${hours / 24 >= 1 && hours % 24 === 0 ? `${hours / 24} days` : `${hours} hours`} have passed since the customer's last message: it can no longer be answered here until they write again.`,
  );
}
