// What the opt-out and consent-button flows store and read of messages: a visible system line in a conversation
// (never sent: no outbox entry), the business message a button reply answers, a failed message's error and ids,
// and what tells the customer's language (their number, their latest texts — handed to the language guess only).
// Must never queue anything for sending, and never log or return the customer's texts beyond that guess.
import { ContactModel } from '../models/contact.js';
import type { MessageRecord } from '../models/message.js';
import { MessageModel } from '../models/message.js';
import { toId, type Id } from './ids.js';

export type MessageLean = MessageRecord & { _id: Id };

export interface OptOutStore {
  /** Stores a system line (direction out, kind system, status sent, no outbox). */
  addSystemLine(ids: { conversationId: string; channelId: string; contactId: string }, text: string): Promise<MessageLean>;
  /** The newest business message (template, interactive or text that was not held or blocked) before `messageId`. */
  questionBefore(conversationId: string, messageId: string): Promise<{ text?: string | null; template?: unknown } | null>;
  /** What tells the customer's language: their number and their latest messages' texts (newest first). */
  languageHints?(contactId: string, conversationId: string): Promise<{ phone: string | null; texts: string[] }>;
  /** A message's error and ids (for provider opt-out errors). */
  failure(messageId: string): Promise<Pick<
    MessageLean,
    '_id' | 'error' | 'contactId' | 'channelId' | 'conversationId'
  > | null>;
}

export const mongoOptOutStore: OptOutStore = {
  async languageHints(contactId, conversationId) {
    const [contact, rows] = await Promise.all([
      ContactModel.findById(toId(contactId)).select('phone').lean(),
      MessageModel.find({ conversationId: toId(conversationId), direction: 'in', text: { $type: 'string' } })
        .sort({ createdAt: -1 })
        .limit(10)
        .select('text')
        .lean(),
    ]);
    return { phone: contact?.phone ?? null, texts: rows.map((r) => r.text ?? '').filter(Boolean) };
  },
  async addSystemLine(ids, text) {
    const msg = await MessageModel.create({
      conversationId: toId(ids.conversationId),
      channelId: toId(ids.channelId),
      contactId: toId(ids.contactId),
      direction: 'out',
      kind: 'system',
      text,
      status: 'sent',
      statusAt: new Date(),
      outbox: null,
    } as Record<string, unknown>);
    return msg.toObject() as MessageLean;
  },
  async questionBefore(conversationId, messageId) {
    return MessageModel.findOne({
      conversationId: toId(conversationId),
      direction: 'out',
      kind: { $in: ['template', 'interactive', 'text'] },
      status: { $nin: ['held', 'blocked'] },
      _id: { $lt: toId(messageId) },
    })
      .sort({ _id: -1 })
      .select('text template')
      .lean();
  },
  async failure(messageId) {
    return MessageModel.findById(messageId).select('error contactId channelId conversationId').lean();
  },
};
