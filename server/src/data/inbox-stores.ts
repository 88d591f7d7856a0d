// The stores the inbox's services work with, as one object (their deps' `stores` field), and the MongoDB set the
// assembling code passes by default. Must never hold state of its own.
import { mongoContacts, type ContactStore } from './contacts.js';
import { mongoConversations, type ConversationStore } from './conversations.js';
import { mongoMessages, type MessageStore } from './messages.js';
import { mongoPendingStatuses, type PendingStatusStore } from './statuses.js';

export interface InboxStores {
  contacts: ContactStore;
  conversations: ConversationStore;
  messages: MessageStore;
  pendingStatuses: PendingStatusStore;
}

export const mongoInboxStores: InboxStores = {
  contacts: mongoContacts,
  conversations: mongoConversations,
  messages: mongoMessages,
  pendingStatuses: mongoPendingStatuses,
};
