// The ONE outbound guard chain every send passes (agent reply, template, API integration, campaign):
// reply window → purpose consent → frequency cap → content policy. The first refusal wins. Only inbox/sender
// calls it, and nothing sends to a provider without it. Must never send anything itself.
import { checkReplyWindow } from './window.js';
import { Refusal, type GuardAllowance, type GuardCheck, type GuardContext, type GuardDecision } from './types.js';

export type { GuardContext, GuardDecision } from './types.js';

/** In order. Consent, frequency and content checks join here (customer-protection issue). */
const CHAIN: ReadonlyArray<[name: string, check: GuardCheck]> = [['window', checkReplyWindow]];

export async function runGuard(ctx: GuardContext): Promise<GuardDecision> {
  const allowance: GuardAllowance = {};
  for (const [name, check] of CHAIN) {
    const result = await check(ctx);
    if (result instanceof Refusal) return { ok: false, code: result.code, message: result.message, check: name };
    Object.assign(allowance, result);
  }
  return { ok: true, allowance };
}
