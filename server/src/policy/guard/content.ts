// Guard 4 — content policy: refuses (or holds for supervisor review, per rule) messages asking a customer to
// change/remove a review, offering something in exchange for a review, or moving the customer to personal
// contact channels. Checks the agent's text, captions and template variables. Must never log the text.
import { findViolation } from '../content-rules.js';
import { guardSettings } from './settings.js';
import { Refusal, type GuardAllowance, type GuardContext } from './types.js';

export function checkContent(ctx: GuardContext): GuardAllowance | Refusal {
  const parts = [ctx.message.text ?? '', ...(ctx.message.template?.params ?? [])].filter(Boolean);
  for (const part of parts) {
    const rule = findViolation(part);
    if (!rule) continue;
    const action = guardSettings().contentActions[rule.id];
    if (action === 'hold') {
      if (ctx.review) return {}; // a supervisor approved this exact message in the review queue
      return new Refusal(
        'held_for_review',
        `${rule.explain} It was kept for a supervisor, who must approve it before it is sent.`,
        rule.id,
      );
    }
    return new Refusal('content_blocked', `${rule.explain} It was not sent.`, rule.id);
  }
  return {};
}
