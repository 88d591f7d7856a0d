// The erasure steps of a data-subject request, as storage operations: which media files a contact's messages
// hold, emptying their message bodies and template variables, deleting raw webhook payloads that carry an
// identifier, emptying attribution's provider identifiers (leads, Conversions API payloads; unsent events are
// skipped), removing the identity rows and profile, and closing their conversations. Must never delete the message
// records themselves, the lead's stage history or the audit trail.
import { Types } from 'mongoose';
import { CapiEventModel } from '../models/capi-event.js';
import { ContactIdentityModel } from '../models/contact-identity.js';
import { ContactModel } from '../models/contact.js';
import { ConversationModel } from '../models/conversation.js';
import { LeadModel } from '../models/lead.js';
import { MessageModel } from '../models/message.js';
import { WebhookEventModel } from '../models/webhook-event.js';
import type { Id } from './ids.js';

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface ErasureStore {
  /** Every identity row of the contact. */
  identities(contactId: Id): Promise<Array<{ kind: string; value: string }>>;
  /** The media file ids of the contact's messages. */
  mediaFiles(contactId: Id): Promise<Id[]>;
  /** Empties text, media, referral, reply payload and reaction of every message, and template variables. */
  clearMessageBodies(contactId: Id): Promise<void>;
  /** Deletes raw webhook payloads whose body contains this text. */
  deleteWebhookPayloadsContaining(needle: string): Promise<void>;
  /** Empties attribution's provider identifiers of the contact; unsent conversion events are skipped. */
  eraseAttributionIdentifiers(contactId: string): Promise<{ leads: number; events: number }>;
  /** Removes the identity rows and empties the profile (erasedAt kept if set). */
  forgetIdentities(contactId: Id, erasedAt: Date): Promise<void>;
  /** Closes the contact's conversations and empties their previews; answers their ids. */
  closeConversations(contactId: Id, searchText: string): Promise<Id[]>;
}

export const mongoErasureStore: ErasureStore = {
  async identities(contactId) {
    return ContactIdentityModel.find({ contactId }).lean();
  },
  async mediaFiles(contactId) {
    const rows = await MessageModel.find({ contactId, 'media.fileId': { $ne: null } })
      .select('media')
      .lean();
    return rows.flatMap((m) => (m.media?.fileId ? [m.media.fileId as Id] : []));
  },
  async clearMessageBodies(contactId) {
    await MessageModel.updateMany(
      { contactId },
      { $set: { text: null, fullText: null, media: null, referral: null, replyPayload: null, reactionTo: null } },
    );
    // Template variables may carry personal data (names, order numbers); the template name stays.
    await MessageModel.updateMany({ contactId, template: { $type: 'object' } }, { $set: { 'template.params': [] } });
  },
  async deleteWebhookPayloadsContaining(needle) {
    await WebhookEventModel.deleteMany({ body: { $regex: escapeRe(needle) } });
  },
  eraseAttributionIdentifiers,
  async forgetIdentities(contactId, erasedAt) {
    await ContactIdentityModel.deleteMany({ contactId });
    await ContactModel.updateOne(
      { _id: contactId },
      { $set: { phone: null, displayName: null, username: null, identities: [], erasedAt } },
    );
  },
  async closeConversations(contactId, searchText) {
    const convs = await ConversationModel.find({ contactId }).select('_id channelId').lean();
    await ConversationModel.updateMany(
      { contactId },
      {
        $set: {
          lastMessagePreview: null,
          searchText,
          pendingReferral: null,
          status: 'closed',
          'replyTo.value': 'erased',
        },
        $unset: { threadKey: '' },
      },
    );
    return convs.map((v) => v._id);
  },
};

/** Attribution's provider identifiers (ctwa_clid, page id + PSID on leads, Conversions API payloads) of a contact. */
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
