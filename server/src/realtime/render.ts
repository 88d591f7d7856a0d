// Renders bus facts as the socket payloads the console receives, through inbox/views.ts (which masks for every
// role) and the abuse-report view: the same JSON the console always got. Must never read the database (the
// listener passes what it loaded) and never emit.
import type { DomainEvents } from '../events/bus.js';
import type { ConsentFact, ContactFact, ServerEventPayload } from '../../../shared/src/index.js';
import { toConversationView, toMessageView } from '../inbox/views.js';
import { toReportView } from '../protection/opt-out.js';

type MessageEvent = DomainEvents['message.created'] | DomainEvents['message.updated'];

/** `message:new` / `message:updated`: the conversation id and the masked message view. */
export function renderMessage(e: MessageEvent): ServerEventPayload<'message:new'> {
  return {
    conversationId: e.conversationId,
    message: toMessageView({ ...e.message, _id: e.message.id }, e.author),
  };
}

/** `conversation:updated`: the masked conversation view with its contact and consent badges. */
export function renderConversation(
  e: DomainEvents['conversation.updated'],
  contact: ContactFact,
  consent: ConsentFact,
): ServerEventPayload<'conversation:updated'> {
  return {
    conversation: toConversationView(
      { ...e.conversation, _id: e.conversation.id },
      { ...contact, _id: contact.id },
      consent,
    ),
  };
}

/** `review:new`: a held message's pending item, or the abuse report's view. */
export function renderReviewItem(e: DomainEvents['review.created']): ServerEventPayload<'review:new'> {
  if (e.type === 'abuse_report') return { item: { ...toReportView({ ...e.report, _id: e.report.id }) } };
  const view = toMessageView({ ...e.message, _id: e.message.id });
  return {
    item: {
      id: view.id,
      type: 'held_message',
      conversationId: view.conversationId,
      createdAt: view.createdAt,
      text: view.text,
      reason: view.statusReason ?? null,
      status: 'pending',
    },
  };
}
