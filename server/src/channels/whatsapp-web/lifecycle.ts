// Channel lifecycle service behind POST /api/channels/:id/(start|stop|logout): checks the channel exists and is a
// linked WhatsApp number, asks the session manager, answers the channel's view (state + reason). Must never run
// for webhook channels (they are always on) and never return secrets.
import type { Channel } from '../../../../shared/src/index.js';
import { conflict, notFound } from '../../errors.js';
import { ChannelModel } from '../../models/channel.js';
import { toChannelView } from '../../inbox/views.js';
import type { WhatsappWebManager } from './manager.js';

export type LifecycleAction = 'start' | 'stop' | 'logout';

export interface ChannelLifecycle {
  run(id: string, action: LifecycleAction): Promise<Channel & { lease?: 'waiting' }>;
}

export function createChannelLifecycle(manager: WhatsappWebManager): ChannelLifecycle {
  return {
    async run(id, action) {
      if (!/^[a-f0-9]{24}$/i.test(id)) throw notFound('Channel');
      const ch = await ChannelModel.findById(id).select('kind').lean();
      if (!ch) throw notFound('Channel');
      if (ch.kind !== 'whatsapp-web') {
        throw conflict(
          'not_supported',
          'Only linked WhatsApp numbers are started, stopped or logged out; webhook channels are always on.',
        );
      }
      let waiting = false;
      if (action === 'start') waiting = (await manager.start(id)) === 'waiting';
      else if (action === 'stop') await manager.stop(id);
      else await manager.logout(id);
      const fresh = await ChannelModel.findById(id).lean();
      if (!fresh) throw notFound('Channel');
      return { ...toChannelView(fresh), ...(waiting ? { lease: 'waiting' as const } : {}) };
    },
  };
}
