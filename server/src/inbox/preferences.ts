// The customer's own marketing preference inside the provider's app (WhatsApp `user_preferences`: stop / resume)
// becomes a consent-ledger event: method `provider`, the provider event's id as evidence (so a redelivery records
// nothing twice), the provider's description as the note. The contact is resolved (and created or merged) from
// the ids the event carries; the open views of its conversation on this channel are refreshed. Must never send
// anything to the customer and never store a phone number in the ledger.
import type { MarketingPreference } from '../channels/adapter.js';
import { recordConsent } from '../policy/consent.js';
import { resolveCustomer } from './contact-merge.js';
import { publishConversation, storesOf, type InboxDeps } from './conversations.js';

export async function applyPreference(deps: InboxDeps, channel: { id: string }, p: MarketingPreference): Promise<void> {
  const contact = await resolveCustomer(deps, { identities: p.identities, phone: p.phone, seenAt: p.timestamp });
  const contactId = String(contact._id);
  const recorded = await recordConsent({
    contactId,
    purpose: 'marketing',
    action: p.value === 'stop' ? 'withdrawn' : 'granted',
    channelId: channel.id,
    method: 'provider',
    evidence: { eventId: p.evidenceId },
    actor: { type: 'customer', id: contactId, name: 'WhatsApp marketing preference' },
    note:
      p.detail ??
      (p.value === 'stop'
        ? 'The customer stopped marketing messages in WhatsApp.'
        : 'The customer resumed marketing messages in WhatsApp.'),
    at: p.timestamp,
  });
  if (!recorded) return; // delivered before
  const threads = await storesOf(deps).conversations.recentThreads(channel.id, contact._id);
  for (const t of threads) await publishConversation(deps, t._id);
}
