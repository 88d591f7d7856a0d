// Channel lifecycle service behind POST /api/channels/:id/(start|stop|logout): checks the channel exists and is a
// linked WhatsApp number, asks the session manager, answers the channel's view (state + reason). Must never run
// for webhook channels (they are always on) and never return secrets.
import type { Channel } from '../../../shared/src/index.js';
import { conflict, notFound } from '../errors.js';
import { mongoChannels } from '../data/channels.js';
import { isId } from '../data/ids.js';
import { toChannelView } from './views.js';
import type { WhatsappWebManager } from '../channels/whatsapp-web/manager.js';

export type LifecycleAction = 'start' | 'stop' | 'logout';

export interface ChannelLifecycle {
  run(id: string, action: LifecycleAction): Promise<Channel & { lease?: 'waiting' }>;
}

export function createChannelLifecycle(manager: WhatsappWebManager): ChannelLifecycle {
  return {
    async run(id, action) {
      if (!isId(id)) throw notFound('Channel');
      const kind = await mongoChannels.kindOf(id);
      if (!kind) throw notFound('Channel');
      if (kind !== 'whatsapp-web') {
        throw conflict(
          'not_supported',
          'Only linked WhatsApp numbers are started, stopped or logged out; webhook channels are always on.',
        );
      }
      let waiting = false;
      if (action === 'start') waiting = (await manager.start(id)) === 'waiting';
      else if (action === 'stop') await manager.stop(id);
      else await manager.logout(id);
      const fresh = await mongoChannels.get(id);
      if (!fresh) throw notFound('Channel');
      return { ...toChannelView(fresh), ...(waiting ? { lease: 'waiting' as const } : {}) };
    },
  };
}
