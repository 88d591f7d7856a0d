// Guard 4 — content policy: refuses (or holds for supervisor review, per rule) messages asking a customer to
// change/remove a review, offering something for a review, asking for a positive review, pressuring the customer or
// moving them to personal contact channels. With the conversation's history: a second review request in the same
// conversation is refused, and an offer (refund, gift, discount) after the customer mentioned a review is held for
// a supervisor. Checks the agent's text, captions and template variables. Must never log the text.
import { mongoReviewContextStore, type ReviewContextStore } from '../../data/review-context.js';
import { REVIEW_CONTEXT_HOLD, REVIEW_REQUEST_LIMIT, checkText, type ContentRule } from '../content-rules.js';
import { analyseContent } from '../content/index.js';
import { guardSettings } from './settings.js';
import { Refusal, type GuardAllowance, type GuardContext } from './types.js';

const store: ReviewContextStore = mongoReviewContextStore;

const hold = (explain: string, rule: string) =>
  new Refusal(
    'held_for_review',
    `${explain} It was kept for a supervisor, who must approve it before it is sent.`,
    rule,
  );

export async function checkContent(ctx: GuardContext): Promise<GuardAllowance | Refusal> {
  const parts = [ctx.message.text ?? '', ...(ctx.message.template?.params ?? [])].filter(Boolean);
  if (!parts.length) return {};
  const hint = guardSettings().businessLocale;
  let held: ContentRule | null = null;
  let invites = false;
  let offers = false;
  for (const part of parts) {
    const { rules, analysis } = checkText(part, hint);
    for (const rule of rules) {
      if (guardSettings().contentActions[rule.id] === 'block')
        return new Refusal('content_blocked', `${rule.explain} It was not sent.`, rule.id);
      held ??= rule;
    }
    invites ||= analysis?.signals.reviewInvite ?? false;
    offers ||= analysis?.signals.incentive ?? false;
  }
  // A neutral review invitation: once per conversation (business messages already sent that invited one).
  if (invites && ctx.actor.type !== 'system') {
    const sent = await store.businessTexts(ctx.conversation.id);
    if (sent.some((t) => analyseContent(t, hint).signals.reviewInvite))
      return new Refusal(
        'content_blocked',
        `${REVIEW_REQUEST_LIMIT.explain} It was not sent.`,
        REVIEW_REQUEST_LIMIT.id,
      );
  }
  if (ctx.review) return {}; // a supervisor approved this exact message in the review queue
  if (held) return hold(held.explain, held.id);
  if (offers) {
    const said = await store.customerTexts(ctx.conversation.id);
    if (said.some((t) => analyseContent(t, hint).signals.reviewMention))
      return hold(REVIEW_CONTEXT_HOLD.explain, REVIEW_CONTEXT_HOLD.id);
  }
  return {};
}
