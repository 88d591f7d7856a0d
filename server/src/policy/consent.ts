// Consent ledger service: appends consent events (never edits or deletes them), derives the current state per
// purpose from the newest event, and audits every change. Must never store a phone number or a customer's message
// body in an event's note or in the audit details.
import type { ConsentEvent } from '../../../shared/src/index.js';
import {
  UNKNOWN_CONSENT,
  consentStates,
  mongoConsentStore,
  type ConsentAction,
  type ConsentMethod,
  type ConsentPurpose,
  type ConsentState,
} from '../data/consent.js';
import { recordAudit } from './audit.js';

export type { ConsentAction, ConsentMethod, ConsentPurpose, ConsentState, ConsentValue } from '../data/consent.js';
export { UNKNOWN_CONSENT, consentStates };

const store = mongoConsentStore;

export interface RecordConsentInput {
  contactId: string;
  purpose: ConsentPurpose;
  action: ConsentAction;
  channelId?: string | null;
  method: ConsentMethod;
  textVersion?: string;
  text?: string;
  evidence?: { messageId?: string; clickId?: string; eventId?: string };
  actor: { type: 'user' | 'integration' | 'customer' | 'system'; id?: string | null; name?: string | null };
  note?: string;
  at?: Date;
}

/** One ledger event as the API returns it. */
export type ConsentEventView = ConsentEvent;

/**
 * Appends one event to the ledger and the audit trail; false when the provider event (evidence.eventId) was
 * recorded already (nothing appended, nothing audited).
 */
export async function recordConsent(input: RecordConsentInput): Promise<boolean> {
  const at = input.at ?? new Date();
  const eventId = await store.append({
    contactId: input.contactId,
    purpose: input.purpose,
    action: input.action,
    channelId: input.channelId ?? null,
    method: input.method,
    textVersion: input.textVersion ?? null,
    text: input.text ?? null,
    evidence: input.evidence
      ? {
          messageId: input.evidence.messageId ?? null,
          clickId: input.evidence.clickId ?? null,
          eventId: input.evidence.eventId ?? null,
        }
      : null,
    actor: { type: input.actor.type, id: input.actor.id ?? null, name: input.actor.name ?? null },
    note: input.note ?? null,
    at,
  });
  if (eventId === null) return false;
  await recordAudit({
    actor: input.actor,
    action: 'consent.changed',
    target: { type: 'contact', id: input.contactId },
    details: {
      eventId,
      purpose: input.purpose,
      consent: input.action,
      method: input.method,
      textVersion: input.textVersion ?? null,
      channelId: input.channelId ?? null,
      evidenceMessageId: input.evidence?.messageId ?? null,
      evidenceEventId: input.evidence?.eventId ?? null,
    },
    at,
  });
  return true;
}

/** Current state of each purpose: the newest event wins; no event → unknown. */
export async function consentState(contactId: string): Promise<ConsentState> {
  const map = await consentStates([contactId]);
  return map.get(contactId) ?? { ...UNKNOWN_CONSENT };
}

/** The ledger of one contact, newest first. */
export async function consentHistory(contactId: string): Promise<ConsentEventView[]> {
  const events = await store.history(contactId);
  return events.map((e) => ({
    id: String(e._id),
    purpose: e.purpose as ConsentPurpose,
    action: e.action as ConsentAction,
    channelId: e.channelId ? String(e.channelId) : null,
    method: e.method as ConsentMethod,
    textVersion: e.textVersion ?? null,
    text: e.text ?? null,
    evidence: e.evidence
      ? {
          messageId: e.evidence.messageId ?? null,
          clickId: e.evidence.clickId ?? null,
          eventId: e.evidence.eventId ?? null,
        }
      : null,
    actor: { type: e.actor.type, id: e.actor.id ?? null, name: e.actor.name ?? null },
    note: e.note ?? null,
    at: e.at.toISOString(),
  }));
}
