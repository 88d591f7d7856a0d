// Socket.IO event names and payloads, typed for both socket.io server and client.
// Must never import server or client code.
import { z } from 'zod';
import { ChannelStateSchema, ConversationSchema, MessageSchema, MessageStatusSchema } from './inbox.js';

export const ServerEventSchemas = {
  'message:new': z.object({ conversationId: z.string(), message: MessageSchema }),
  /** A message changed beyond its status (media stored, failure reason, erasure): replace it by id. */
  'message:updated': z.object({ conversationId: z.string(), message: MessageSchema }),
  'message:status': z.object({ conversationId: z.string(), messageId: z.string(), status: MessageStatusSchema }),
  'conversation:updated': z.object({ conversation: ConversationSchema }),
  typing: z.object({ conversationId: z.string(), who: z.string() }),
  'channel:qr': z.object({ channelId: z.string(), qr: z.string() }),
  'channel:state': z.object({ channelId: z.string(), state: ChannelStateSchema, reason: z.string().nullish() }),
  'review:new': z.object({ item: z.record(z.string(), z.unknown()) }),
  /**
   * logout / deactivated / password_changed: sent just before the server disconnects the user's sockets.
   * role_changed: the session continues (sockets already re-scoped); the console refetches /api/auth/me.
   */
  'session:ended': z.object({ reason: z.enum(['logout', 'deactivated', 'password_changed', 'role_changed']) }),
} as const;

export type ServerEventName = keyof typeof ServerEventSchemas;
export type ServerEventPayload<E extends ServerEventName> = z.infer<(typeof ServerEventSchemas)[E]>;
export type ServerToClientEvents = { [E in ServerEventName]: (payload: ServerEventPayload<E>) => void };

export const ClientEventSchemas = {
  typing: z.strictObject({ conversationId: z.string().min(1).max(64) }),
} as const;
export type ClientEventName = keyof typeof ClientEventSchemas;
export type ClientToServerEvents = {
  [E in ClientEventName]: (payload: z.infer<(typeof ClientEventSchemas)[E]>) => void;
};
