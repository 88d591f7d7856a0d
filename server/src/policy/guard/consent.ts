// Guard 2 — purpose consent: marketing templates need a current marketing grant in the consent ledger; a contact
// who withdrew is refused with contact_opted_out, one who never answered with consent_required. Service replies
// and utility/authentication templates pass. Must never look at message text.
import { consentState } from '../consent.js';
import { Refusal, type GuardAllowance, type GuardContext } from './types.js';

export async function checkConsent(ctx: GuardContext): Promise<GuardAllowance | Refusal> {
  if (ctx.message.kind !== 'template' || ctx.message.template?.category !== 'marketing') return {};
  const state = await consentState(ctx.contact.id);
  if (state.marketing === 'granted') return {};
  if (state.marketing === 'withdrawn') {
    return new Refusal(
      'contact_opted_out',
      'This customer opted out of marketing messages: marketing templates cannot be sent to them.',
    );
  }
  return new Refusal(
    'consent_required',
    'This is a marketing template and the customer has not agreed to receive marketing messages. Ask them first (or use a utility template).',
  );
}
