// The channels the signed-in user can name (GET /api/channels), kept live from `channel:state` socket events.
// A role that may not list channels (403) gets an empty list and the caller falls back to generic labels.
// Must never hold channel secrets (the API never sends them).
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Channel } from '../../../shared/src/index.js';
import { adminApi } from '../api/admin.js';
import { useLive } from './useLiveConnection.js';

export interface ChannelsState {
  status: 'loading' | 'ready' | 'unavailable';
  channels: Channel[];
  byId: ReadonlyMap<string, Channel>;
  reload(): void;
  /** Local edits from admin screens (created, deleted). */
  setChannels(update: (channels: Channel[]) => Channel[]): void;
}

export function useChannels(): ChannelsState {
  const { socket } = useLive();
  const [status, setStatus] = useState<ChannelsState['status']>('loading');
  const [channels, setChannelsState] = useState<Channel[]>([]);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    adminApi.listChannels({ quiet: true }).then(
      (items) => {
        if (cancelled) return;
        setChannelsState(items);
        setStatus('ready');
      },
      () => !cancelled && setStatus('unavailable'),
    );
    return () => {
      cancelled = true;
    };
  }, [attempt]);

  useEffect(() => {
    const onState = ({
      channelId,
      state,
      reason,
    }: {
      channelId: string;
      state: Channel['state'];
      reason?: string | null;
    }) =>
      setChannelsState((list) =>
        list.map((c) => (c.id === channelId ? { ...c, state, stateReason: reason ?? undefined } : c)),
      );
    socket.on('channel:state', onState);
    return () => {
      socket.off('channel:state', onState);
    };
  }, [socket]);

  const reload = useCallback(() => setAttempt((a) => a + 1), []);
  const byId = useMemo(() => new Map(channels.map((c) => [c.id, c])), [channels]);
  return { status, channels, byId, reload, setChannels: setChannelsState };
}
