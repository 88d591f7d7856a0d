// The channels the signed-in user can name (GET /api/channels), loaded with useResource and kept live from
// `channel:state` socket events. A role that may not list channels (403) gets an empty list and the caller falls
// back to generic labels. Must never hold channel secrets (the API never sends them).
import { useEffect, useMemo } from 'react';
import type { Channel } from '../../../shared/src/index.js';
import { adminApi } from '../api/admin.js';
import { useLive } from './useLiveConnection.js';
import { useResource } from './useResource.js';

export interface ChannelsState {
  status: 'loading' | 'ready' | 'unavailable';
  channels: Channel[];
  byId: ReadonlyMap<string, Channel>;
  reload(): void;
  /** Local edits from admin screens (created, deleted). */
  setChannels(update: (channels: Channel[]) => Channel[]): void;
}

const NONE: Channel[] = [];

export function useChannels(): ChannelsState {
  const { socket } = useLive();
  const { data, error, reload, set } = useResource(() => adminApi.listChannels({ quiet: true }));
  const channels = data ?? NONE;

  useEffect(() => {
    const onState = ({
      channelId,
      state,
      reason,
    }: {
      channelId: string;
      state: Channel['state'];
      reason?: string | null;
    }) => set((list) => list.map((c) => (c.id === channelId ? { ...c, state, stateReason: reason ?? undefined } : c)));
    socket.on('channel:state', onState);
    return () => {
      socket.off('channel:state', onState);
    };
  }, [socket, set]);

  const byId = useMemo(() => new Map(channels.map((c) => [c.id, c])), [channels]);
  const status = error !== null ? 'unavailable' : data === null ? 'loading' : 'ready';
  return { status, channels, byId, reload, setChannels: set };
}
