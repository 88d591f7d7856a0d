// The ONE outbound guard chain every send passes (agent reply, template, API integration, campaign):
// reply window → template status → purpose consent → frequency cap → content policy. The first refusal wins. Only inbox/sender
// calls it, and nothing sends to a provider without it. Must never send anything itself.
import { checkReplyWindow } from './window.js';
import { checkTemplateStatus } from './template.js';
import { checkConsent } from './consent.js';
import { checkFrequency } from './frequency.js';
import { checkContent } from './content.js';
import { Refusal, type GuardAllowance, type GuardCheck, type GuardContext, type GuardDecision } from './types.js';

export type { GuardContext, GuardDecision } from './types.js';
export { configureGuard } from './settings.js';

/** In order: the first refusal wins. */
export const CHAIN: ReadonlyArray<[name: string, check: GuardCheck]> = [
  ['window', checkReplyWindow],
  ['template', checkTemplateStatus],
  ['consent', checkConsent],
  ['frequency', checkFrequency],
  ['content', checkContent],
];

export async function runGuard(ctx: GuardContext): Promise<GuardDecision> {
  const allowance: GuardAllowance = {};
  for (const [name, check] of CHAIN) {
    const result = await check(ctx);
    if (result instanceof Refusal)
      return {
        ok: false,
        code: result.code,
        message: result.message,
        check: name,
        ...(result.rule ? { rule: result.rule } : {}),
      };
    Object.assign(allowance, result);
  }
  return { ok: true, allowance };
}
