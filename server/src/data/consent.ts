// The consent ledger's storage: appends one event (never edits or deletes), the newest-wins state per purpose for
// many contacts in one query, and one contact's events newest first. Must never store a phone number or a
// customer's message body in an event.
import { ConsentEventModel, type ConsentEventRecord } from '../models/consent-event.js';
import { isDuplicateKey } from './errors.js';
import { isId, toId } from './ids.js';

export type ConsentPurpose = 'marketing' | 'ad_measurement';
export type ConsentAction = 'granted' | 'withdrawn';
/** `provider`: the customer changed it inside the provider's app (WhatsApp marketing preference, error 131050). */
export type ConsentMethod = 'keyword' | 'button' | 'landing_form' | 'agent' | 'api' | 'provider';
export type ConsentValue = 'granted' | 'withdrawn' | 'unknown';
export interface ConsentState {
  marketing: ConsentValue;
  adMeasurement: ConsentValue;
}

export const UNKNOWN_CONSENT: ConsentState = { marketing: 'unknown', adMeasurement: 'unknown' };

export type ConsentEventLean = ConsentEventRecord & { _id: unknown };

export interface NewConsentEvent {
  contactId: string;
  purpose: ConsentPurpose;
  action: ConsentAction;
  channelId: string | null;
  method: ConsentMethod;
  textVersion: string | null;
  text: string | null;
  /** eventId: a provider event's own id (a marketing-preference webhook), unique in the ledger. */
  evidence: { messageId: string | null; clickId: string | null; eventId?: string | null } | null;
  actor: { type: 'user' | 'integration' | 'customer' | 'system'; id: string | null; name: string | null };
  note: string | null;
  at: Date;
}

export interface ConsentStore {
  /** Appends one event; answers its id, or null when an event with the same provider event id exists already. */
  append(e: NewConsentEvent): Promise<string | null>;
  /** The current state of each contact (one query; unknown for contacts without events or with a bad id). */
  states(contactIds: readonly string[]): Promise<Map<string, ConsentState>>;
  /** One contact's events, newest first. */
  history(contactId: string): Promise<ConsentEventLean[]>;
}


export const mongoConsentStore: ConsentStore = {
  async append(e) {
    try {
      const ev = await ConsentEventModel.create({
        ...e,
        contactId: toId(e.contactId),
        channelId: e.channelId ? toId(e.channelId) : null,
      });
      return String(ev._id);
    } catch (err) {
      if (isDuplicateKey(err)) return null; // this provider event is in the ledger already (a redelivery)
      throw err;
    }
  },
  states: consentStates,
  async history(contactId) {
    if (!isId(contactId)) return [];
    return ConsentEventModel.find({ contactId: toId(contactId) })
      .sort({ at: -1, _id: -1 })
      .lean();
  },
};

/** Batched: one query for many contacts (conversation lists, the intake). */
export async function consentStates(contactIds: readonly string[]): Promise<Map<string, ConsentState>> {
  const out = new Map<string, ConsentState>();
  const ids = [...new Set(contactIds)].filter(isId);
  if (ids.length === 0) return out;
  const events = await ConsentEventModel.find({ contactId: { $in: ids.map((id) => toId(id)) } })
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
