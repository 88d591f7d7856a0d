// Erasure support for the data-subject flow: removes a contact's provider identifiers kept by attribution
// (ctwa_clid, page id + PSID on leads; Conversions API payloads) and stops any unsent conversion events for them.
// Aggregate counts (funnel) stay. Must never delete the lead's stage history (no personal data in it).
import { Types } from 'mongoose';
import { CapiEventModel } from '../models/capi-event.js';
import { LeadModel } from '../models/lead.js';

export async function eraseAttributionIdentifiers(contactId: string): Promise<{ leads: number; events: number }> {
  if (!Types.ObjectId.isValid(contactId)) return { leads: 0, events: 0 };
  const id = new Types.ObjectId(contactId);
  const leads = await LeadModel.updateMany({ contactId: id }, { $set: { ctwaClid: null, pageId: null, psid: null } });
  await CapiEventModel.updateMany(
    { contactId: id, state: { $in: ['pending', 'sending', 'dead'] } },
    { $set: { state: 'skipped', lastError: 'contact erased' } },
  );
  const events = await CapiEventModel.updateMany({ contactId: id }, { $set: { payload: { erased: true } } });
  return { leads: leads.modifiedCount, events: events.modifiedCount };
}
