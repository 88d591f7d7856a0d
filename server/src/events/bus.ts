// The one in-process domain event bus. Services publish what happened as facts (ids, plain records, the actor —
// never rendered or masked views); listeners subscribe. Payloads are the zod schemas of shared/src/events.ts; under
// NODE_ENV=test every payload is checked against its schema. Must never know about sockets, HTTP or rooms, and a
// failing listener must never break the publisher.
//
// Who publishes what (message.* and conversation.updated always through events/publish.ts), and who listens:
// - user.created, user.updated, user.deactivated: users/service.ts → realtime/listener.ts listens to the last two
//   (user.created has no listener).
// - session.ended: http/auth.routes.ts (logout) → realtime/listener.ts.
// - conversation.updated: inbox/ingest.ts, inbox/conversations.ts (publishConversation, used by the sender,
//   conversation actions, attribution, compliance, erasure), http/contacts-consent.routes.ts → realtime/listener.ts.
// - message.created: inbox/ingest.ts, inbox/sender.ts, inbox/refusals.ts, protection/opt-out.ts (system lines),
//   protection/integrations.ts (held sends) → realtime/listener.ts, attribution/index.ts (first answer),
//   protection/index.ts (held messages become review items).
// - message.updated: inbox/sender.ts (release), inbox/outbox.ts, inbox/statuses.ts, inbox/media.ts,
//   protection/review.ts → realtime/listener.ts, attribution/index.ts.
// - message.status: inbox/outbox.ts, inbox/statuses.ts → realtime/listener.ts, protection/opt-out.ts (provider
//   opt-outs).
// - typing: inbox/typing.ts → realtime/listener.ts.
// - channel.qr, channel.state: channels/whatsapp-web/manager.ts → realtime/listener.ts.
// - review.created: events/publish.ts publishReviewCreated, called by protection/index.ts (held messages) and
//   protection/opt-out.ts (abuse reports) → realtime/listener.ts.
import { EventEmitter } from 'node:events';
import { DomainEventSchemas, type DomainEventName, type DomainEventPayload } from '../../../shared/src/index.js';

export type DomainEvents = { [E in DomainEventName]: DomainEventPayload<E> };
export type { DomainEventName };
type Listener<E extends DomainEventName> = (payload: DomainEvents[E]) => void | Promise<void>;

/** Tests check every payload against its schema (a wrong shape throws at the publisher); production does not. */
const VALIDATE = process.env.NODE_ENV === 'test';

export class EventBus {
  private readonly emitter = new EventEmitter({ captureRejections: false });
  constructor(private readonly onListenerError: (event: string, err: unknown) => void = () => {}) {
    this.emitter.setMaxListeners(100);
  }

  publish<E extends DomainEventName>(event: E, payload: DomainEvents[E]): void {
    if (VALIDATE) {
      const r = DomainEventSchemas[event].safeParse(payload);
      if (!r.success) throw new Error(`invalid ${event} payload: ${r.error.message}`);
    }
    for (const listener of this.emitter.listeners(event) as Listener<E>[]) {
      try {
        const r = listener(payload);
        if (r && typeof (r as Promise<void>).catch === 'function') {
          (r as Promise<void>).catch((err) => this.onListenerError(event, err));
        }
      } catch (err) {
        this.onListenerError(event, err);
      }
    }
  }

  subscribe<E extends DomainEventName>(event: E, listener: Listener<E>): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }
}
