// What the frequency cap reads of a contact's messages: since a date, every inbound message and every outbound one
// that reached (or is on its way to) the customer, or that Meta refused for its marketing limit (131049) —
// direction and time only — and the time of their newest inbound message. Read-only; must never read text.
import { MessageModel } from '../models/message.js';
import { toId } from './ids.js';

/** Outbound records that never reached the customer do not count… */
const NOT_SENT = ['held', 'blocked', 'failed'] as ('held' | 'blocked' | 'failed')[];
/** …except a failure for Meta's per-user marketing limit (131049): Meta counted it, so the cap does too. */
const COUNTED_FAILURE = 'meta_marketing_limit';

export interface FrequencyStore {
  /** Inbound and counted outbound messages of the contact since `since`, oldest first. */
  exchangesSince(contactId: string, since: Date): Promise<Array<{ direction: 'in' | 'out'; createdAt: Date | null }>>;
  /** When the contact last wrote (any conversation), or null. */
  lastInboundAt(contactId: string): Promise<Date | null>;
}

export const mongoFrequencyStore: FrequencyStore = {
  async exchangesSince(contactId, since) {
    const rows = await MessageModel.find({
      contactId: toId(contactId),
      createdAt: { $gte: since },
      $or: [
        { direction: 'in' },
        { direction: 'out', kind: { $nin: ['note', 'system'] }, status: { $nin: NOT_SENT } },
        { direction: 'out', status: 'failed', 'error.code': COUNTED_FAILURE },
      ],
    })
      .select('direction createdAt')
      .sort({ createdAt: 1 })
      .lean();
    return rows.map((m) => ({ direction: m.direction as 'in' | 'out', createdAt: m.createdAt ?? null }));
  },
  async lastInboundAt(contactId) {
    const m = await MessageModel.findOne({ contactId: toId(contactId), direction: 'in' })
      .sort({ createdAt: -1 })
      .select('createdAt')
      .lean();
    return m?.createdAt ?? null;
  },
};
