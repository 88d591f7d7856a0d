// REST calls for linked WhatsApp numbers: POST /api/channels/:id/(start|stop|logout), answered with the channel's
// view. Must never hold QR codes or sessions (QRs arrive on the socket and live only in the link dialog).
import { ChannelSchema, type Channel } from '../../../../shared/src/index.js';
import { request } from '../../api/client.js';

export type LifecycleAction = 'start' | 'stop' | 'logout';

export function runChannelAction(id: string, action: LifecycleAction): Promise<Channel> {
  return request('POST', `/api/channels/${encodeURIComponent(id)}/${action}`, undefined, ChannelSchema);
}
