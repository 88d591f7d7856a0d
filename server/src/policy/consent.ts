// Consent ledger service: appends consent events (never edits or deletes them), derives the current state per
// purpose from the newest event, and audits every change. Must never store a phone number or a customer's message
// body in an event's note or in the audit details.
import { Types } from 'mongoose';
import type { ConsentEvent } from '../../../shared/src/index.js';
import { ConsentEventModel } from '../models/consent-event.js';
import { recordAudit } from './audit.js';

export type ConsentPurpose = 'marketing' | 'ad_measurement';
export type ConsentAction = 'granted' | 'withdrawn';
export type ConsentMethod = 'keyword' | 'button' | 'landing_form' | 'agent' | 'api';
export type ConsentValue = 'granted' | 'withdrawn' | 'unknown';
export interface ConsentState {
  marketing: ConsentValue;
  adMeasurement: ConsentValue;
}

export interface RecordConsentInput {
  contactId: string;
  purpose: ConsentPurpose;
  action: ConsentAction;
  channelId?: string | null;
  method: ConsentMethod;
  textVersion?: string;
  text?: string;
  evidence?: { messageId?: string; clickId?: string };
  actor: { type: 'user' | 'integration' | 'customer' | 'system'; id?: string | null; name?: string | null };
  note?: string;
  at?: Date;
}

/** One ledger event as the API returns it. */
export type ConsentEventView = ConsentEvent;

export const UNKNOWN_CONSENT: ConsentState = { marketing: 'unknown', adMeasurement: 'unknown' };

/** Appends one event to the ledger and the audit trail. */
export async function recordConsent(input: RecordConsentInput): Promise<void> {
  const at = input.at ?? new Date();
  const ev = await ConsentEventModel.create({
    contactId: new Types.ObjectId(input.contactId),
    purpose: input.purpose,
    action: input.action,
    channelId: input.channelId ? new Types.ObjectId(input.channelId) : null,
    method: input.method,
    textVersion: input.textVersion ?? null,
    text: input.text ?? null,
    evidence: input.evidence
      ? { messageId: input.evidence.messageId ?? null, clickId: input.evidence.clickId ?? null }
      : null,
    actor: { type: input.actor.type, id: input.actor.id ?? null, name: input.actor.name ?? null },
    note: input.note ?? null,
    at,
  });
  await recordAudit({
    actor: input.actor,
    action: 'consent.changed',
    target: { type: 'contact', id: input.contactId },
    details: {
      eventId: String(ev._id),
      purpose: input.purpose,
      consent: input.action,
      method: input.method,
      textVersion: input.textVersion ?? null,
      channelId: input.channelId ?? null,
      evidenceMessageId: input.evidence?.messageId ?? null,
    },
    at,
  });
}

/** Current state of each purpose: the newest event wins; no event → unknown. */
export async function consentState(contactId: string): Promise<ConsentState> {
  const map = await consentStates([contactId]);
  return map.get(contactId) ?? { ...UNKNOWN_CONSENT };
}

/** Batched: one query for many contacts (conversation lists). */
export async function consentStates(contactIds: readonly string[]): Promise<Map<string, ConsentState>> {
  const out = new Map<string, ConsentState>();
  const ids = [...new Set(contactIds)].filter((id) => Types.ObjectId.isValid(id));
  if (ids.length === 0) return out;
  const events = await ConsentEventModel.find({ contactId: { $in: ids.map((id) => new Types.ObjectId(id)) } })
    .select('contactId purpose action at')
    .sort({ at: 1, _id: 1 })
    .batchSize(10_000) // one reply, not a getMore per 101 events (conversation lists, the intake)
    .lean();
  for (const e of events) {
    const key = String(e.contactId);
    const s = out.get(key) ?? { ...UNKNOWN_CONSENT };
    if (e.purpose === 'marketing') s.marketing = e.action as ConsentAction;
    else s.adMeasurement = e.action as ConsentAction;
    out.set(key, s);
  }
  for (const id of ids) if (!out.has(id)) out.set(id, { ...UNKNOWN_CONSENT });
  return out;
}

/** The ledger of one contact, newest first. */
export async function consentHistory(contactId: string): Promise<ConsentEventView[]> {
  if (!Types.ObjectId.isValid(contactId)) return [];
  const events = await ConsentEventModel.find({ contactId: new Types.ObjectId(contactId) })
    .sort({ at: -1, _id: -1 })
    .lean();
  return events.map((e) => ({
    id: String(e._id),
    purpose: e.purpose as ConsentPurpose,
    action: e.action as ConsentAction,
    channelId: e.channelId ? String(e.channelId) : null,
    method: e.method as ConsentMethod,
    textVersion: e.textVersion ?? null,
    text: e.text ?? null,
    evidence: e.evidence ? { messageId: e.evidence.messageId ?? null, clickId: e.evidence.clickId ?? null } : null,
    actor: { type: e.actor.type, id: e.actor.id ?? null, name: e.actor.name ?? null },
    note: e.note ?? null,
    at: e.at.toISOString(),
  }));
}
