// The one in-process domain event bus. Services publish what happened; listeners (realtime, audit, outbox,
// metrics) subscribe. Event names map to payload types here. Must never know about sockets, HTTP or rooms, and a
// failing listener must never break the publisher.
import { EventEmitter } from 'node:events';
import type { Conversation, Message, MessageStatus, ChannelState, Role } from '../../../shared/src/index.js';

export interface DomainEvents {
  'user.created': { userId: string; role: Role };
  /** Role, channel membership or active flag changed. */
  'user.updated': { userId: string; role: Role; channelIds: string[]; active: boolean; changed: string[] };
  'user.deactivated': { userId: string };
  /** A browser session ended (logout); its sockets must go. */
  'session.ended': { sessionId: string; userId: string; reason: 'logout' };
  'conversation.updated': { channelId: string; conversation: Conversation };
  'message.created': { channelId: string; conversationId: string; message: Message };
  /** A message changed beyond its status (media stored, failure reason): consumers replace it by id. */
  'message.updated': { channelId: string; conversationId: string; message: Message };
  'message.status': { channelId: string; conversationId: string; messageId: string; status: MessageStatus };
  typing: { channelId: string; conversationId: string; who: string; userId: string };
  'channel.qr': { channelId: string; qr: string };
  'channel.state': { channelId: string; state: ChannelState; reason?: string | null };
  'review.created': { item: Record<string, unknown> };
}
export type DomainEventName = keyof DomainEvents;
type Listener<E extends DomainEventName> = (payload: DomainEvents[E]) => void | Promise<void>;

export class EventBus {
  private readonly emitter = new EventEmitter({ captureRejections: false });
  constructor(private readonly onListenerError: (event: string, err: unknown) => void = () => {}) {
    this.emitter.setMaxListeners(100);
  }

  publish<E extends DomainEventName>(event: E, payload: DomainEvents[E]): void {
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
