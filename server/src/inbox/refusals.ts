// What happens when the outbound guard refuses a send: the attempt is stored as a message record the thread can
// show with its reason (status `blocked`, or `held` for a supervisor's review — never queued, outbox null), it
// lands on the audit trail (code, check, rule, an excerpt of the AGENT's text — never the customer's), and the
// caller gets the 422. Must never send anything or queue an outbox entry.
import type { Message } from '../../../shared/src/index.js';
import type { EventBus } from '../events/bus.js';
import { type DomainError, refused } from '../errors.js';
import { toId, type Id } from '../data/ids.js';
import { mongoMessages, type MessageStore } from '../data/messages.js';
import { actorOf, publishMessageCreated } from '../events/publish.js';
import { toMessageView } from './views.js';
import { recordAudit } from '../policy/audit.js';

export interface RefusedSend {
  bus: EventBus;
  conv: { _id: Id; channelId: Id; contactId: Id };
  kind: string;
  text: string | null;
  template: unknown;
  media?: unknown;
  decision: { code: string; message: string; check: string; rule?: string };
  by: { type: 'user' | 'integration' | 'system'; id: string; name: string };
  /** False when re-checking an already stored message (review release): audit only. */
  store: boolean;
  /** Where the refused attempt is stored (the MongoDB message store unless given). */
  messages?: MessageStore;
}

const excerpt = (s: string | null) => (s ? (s.length > 80 ? `${s.slice(0, 79)}…` : s) : null);

/** Stores + audits a refusal and returns the 422 to throw (with the stored message in `details`). */
export async function refuseSend(r: RefusedSend): Promise<DomainError> {
  const held = r.decision.code === 'held_for_review';
  let view: Message | null = null;
  if (r.store) {
    const msg = await (r.messages ?? mongoMessages).insert({
      conversationId: r.conv._id,
      channelId: r.conv.channelId,
      contactId: r.conv.contactId,
      direction: 'out',
      kind: r.kind,
      text: r.text,
      template: r.template ?? null,
      media: r.media ?? null,
      status: held ? 'held' : 'blocked',
      statusAt: new Date(),
      error: { code: r.decision.code, reason: r.decision.message },
      authorId: r.by.type === 'user' ? toId(r.by.id) : null,
      outbox: null,
    });
    const author = r.by.type === 'user' ? { id: r.by.id, name: r.by.name } : null;
    view = toMessageView(msg, author);
    // A held one becomes a review item through this fact (protection/index.ts announces it once).
    publishMessageCreated(r.bus, msg, actorOf(r.by), author);
  }
  await recordAudit({
    actor: { type: r.by.type, id: r.by.id, name: r.by.name },
    action: held ? 'message.held' : 'message.blocked',
    target: { type: 'conversation', id: String(r.conv._id) },
    details: {
      code: r.decision.code,
      check: r.decision.check,
      rule: r.decision.rule ?? null,
      messageId: view?.id ?? null,
      contactId: String(r.conv.contactId),
      kind: r.kind,
      // The agent's own words (never the customer's), shortened.
      excerpt: r.by.type === 'user' ? excerpt(r.text) : null,
    },
  });
  return refused(r.decision.code, r.decision.message, view ? { message: view } : undefined);
}
