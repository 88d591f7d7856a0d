// What the content policy reads of a conversation's history: the texts of its latest customer messages and of the
// latest business messages that reached (or are on their way to) the customer. Read-only, newest first, bounded;
// the texts are handed to the content check only and must never be logged or returned to a caller.
import { MessageModel } from '../models/message.js';
import { toId } from './ids.js';

const NOT_SENT = ['held', 'blocked', 'failed'] as ('held' | 'blocked' | 'failed')[];
const LIMIT = 200;

export interface ReviewContextStore {
  /** Texts the customer wrote in the conversation (newest first). */
  customerTexts(conversationId: string): Promise<string[]>;
  /** Texts the business sent in the conversation (not held, blocked or failed; newest first). */
  businessTexts(conversationId: string): Promise<string[]>;
}

async function texts(filter: Record<string, unknown>): Promise<string[]> {
  const rows = await MessageModel.find({ ...filter, text: { $type: 'string' } })
    .select('text')
    .sort({ createdAt: -1 })
    .limit(LIMIT)
    .lean();
  return rows.map((r) => r.text ?? '').filter(Boolean);
}

export const mongoReviewContextStore: ReviewContextStore = {
  customerTexts: (conversationId) => texts({ conversationId: toId(conversationId), direction: 'in' }),
  businessTexts: (conversationId) =>
    texts({
      conversationId: toId(conversationId),
      direction: 'out',
      kind: { $in: ['text', 'template', 'image', 'document', 'video'] },
      status: { $nin: NOT_SENT },
    }),
};
