// Agent typing signals: a console user typing in a conversation they may reply to becomes a `typing` domain
// event (the realtime listener forwards it to the other permitted sockets). Must never reveal anything beyond
// the agent's display name.
import type { AuthUser } from '../auth/passport.js';
import type { EventBus } from '../events/bus.js';
import { loadVisibleConversation } from './access.js';

export async function agentTyping(bus: EventBus, user: AuthUser, conversationId: string): Promise<boolean> {
  try {
    const conv = await loadVisibleConversation(user, conversationId, 'conversations:reply');
    bus.publish('typing', { channelId: String(conv.channelId), conversationId, who: user.name, userId: user.id });
    return true;
  } catch {
    return false;
  }
}
