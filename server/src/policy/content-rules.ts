// Content policy rules (es/en/pt/fr/it/de) on top of the stemmed detector in ./content/: asking to change or remove
// a review, offering something for a review, asking for a positive review, pressure or threats, and moving the
// customer to personal contact channels. Says which rule a text breaks and what the agent is told; the actions
// (block or hold for a supervisor) are configurable per rule. Must never log or store the text it checks.
import { analyseContent, type ContentAnalysis, type Family, type Lang } from './content/index.js';

export type ContentRuleId = Family;
export type ContentAction = 'block' | 'hold';
export const CONTENT_RULE_IDS: readonly ContentRuleId[] = [
  'review_incentive',
  'review_change',
  'review_positive',
  'pressure',
  'off_platform_contact',
];

export interface ContentRule {
  id: ContentRuleId;
  /** What the agent is told (the sentence in the 422 and on the stored message). */
  explain: string;
}

export const CONTENT_RULES: Readonly<Record<ContentRuleId, ContentRule>> = {
  review_incentive: {
    id: 'review_incentive',
    explain:
      'This message offers money, a refund, a discount or a gift in exchange for a review: reviews must never be bought or traded.',
  },
  review_change: {
    id: 'review_change',
    explain:
      'This message asks the customer to change or remove a review or rating: customers must be free to review as they wish.',
  },
  review_positive: {
    id: 'review_positive',
    explain:
      'This message asks for a positive review or a top rating: you may invite a review once, neutrally, never ask for a good one.',
  },
  pressure: {
    id: 'pressure',
    explain:
      'This message pressures or threatens the customer (repeated contact until they act, legal threats, ultimatums).',
  },
  off_platform_contact: {
    id: 'off_platform_contact',
    explain:
      'This message asks for or offers personal contact details outside this conversation: keep the conversation here.',
  },
};

/** Guard-level rules that need the conversation's history (not configurable: fixed actions). */
export const REVIEW_REQUEST_LIMIT = {
  id: 'review_request_limit',
  explain:
    'A review was already requested in this conversation: a business may invite a review once per conversation, neutrally and without incentive.',
} as const;
export const REVIEW_CONTEXT_HOLD = {
  id: 'review_context',
  explain:
    'The customer mentioned a review or rating in this conversation, and this message offers a refund, gift or discount: a supervisor must check that it is not traded for the review.',
} as const;

/** The rules a text breaks, strictest first (by the order of CONTENT_RULE_IDS), with the analysis. */
export function checkText(
  text: string | null | undefined,
  hint?: Lang,
): { rules: ContentRule[]; analysis: ContentAnalysis | null } {
  if (!text) return { rules: [], analysis: null };
  const analysis = analyseContent(text, hint);
  const found = new Set(analysis.findings.map((f) => f.family));
  return { rules: CONTENT_RULE_IDS.filter((id) => found.has(id)).map((id) => CONTENT_RULES[id]), analysis };
}

/** The first rule a text breaks, or null. */
export function findViolation(text: string | null | undefined): ContentRule | null {
  return checkText(text).rules[0] ?? null;
}

export const DEFAULT_CONTENT_ACTIONS: Record<ContentRuleId, ContentAction> = {
  review_incentive: 'block',
  review_change: 'block',
  review_positive: 'block',
  pressure: 'block',
  off_platform_contact: 'hold',
};

/** "review_change=block,off_platform_contact=hold" → per-rule actions (defaults for the rest). */
export function parseContentActions(spec: string | undefined): Record<ContentRuleId, ContentAction> {
  const out = { ...DEFAULT_CONTENT_ACTIONS };
  for (const part of (spec ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [k, v] = part.split('=').map((x) => x.trim());
    if (!(k in out) || (v !== 'block' && v !== 'hold'))
      throw new Error(`"${part}" is not rule=block|hold (rules: ${Object.keys(out).join(', ')})`);
    out[k as ContentRuleId] = v;
  }
  return out;
}
