// The console's live connection: a typed socket.io client on the same origin, authenticated by the session cookie,
// and the mapping of its lifecycle to the three states the top bar shows. Must never send credentials or tokens in
// the handshake (the httpOnly cookie is the only credential) and must never connect before login.
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerEventPayload, ServerToClientEvents } from '../../../shared/src/index.js';

export type ParleySocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type LiveState = 'connected' | 'reconnecting' | 'offline';
export type SessionEndReason = ServerEventPayload<'session:ended'>['reason'] | 'unauthorized';

export interface LiveCallbacks {
  onState(state: LiveState): void;
  /** The server ended this user's session (logout elsewhere, deactivation, role change) or refused the socket. */
  onSessionEnded(reason: SessionEndReason): void;
}

/** Creates the socket without connecting; attachLive() connects it. */
export function createSocket(): ParleySocket {
  return io({
    path: '/socket.io',
    withCredentials: true,
    autoConnect: false,
    forceNew: true,
    reconnectionDelay: 1000,
    reconnectionDelayMax: 10000,
  });
}

/** Wires the socket's lifecycle to the callbacks and connects it; the returned function detaches and disconnects. */
export function attachLive(socket: ParleySocket, callbacks: LiveCallbacks): () => void {
  let stopped = false;
  const set = (state: LiveState) => {
    if (!stopped) callbacks.onState(state);
  };

  const onConnect = () => set('connected');
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  const onDisconnect = (reason: Socket.DisconnectReason) => {
    if (reason === 'io client disconnect') return set('offline');
    set('reconnecting');
    // 'io server disconnect' gets no automatic reconnect. If it came with session:ended the app unmounts us first;
    // otherwise try once more: a still-valid session reconnects, an ended one gets connect_error 'unauthorized'.
    if (reason === 'io server disconnect') {
      retryTimer = setTimeout(() => {
        if (!stopped && !socket.active) socket.connect();
      }, 2000);
    }
  };
  const onConnectError = (err: Error) => {
    if (err.message === 'unauthorized') {
      set('offline');
      if (!stopped) callbacks.onSessionEnded('unauthorized');
      return;
    }
    // Middleware refusals leave socket.active false (no retry); transport errors keep retrying.
    set(socket.active ? 'reconnecting' : 'offline');
  };
  const onSessionEnded = ({ reason }: ServerEventPayload<'session:ended'>) => {
    if (!stopped) callbacks.onSessionEnded(reason);
  };
  const onReconnectAttempt = () => set('reconnecting');
  const onReconnectFailed = () => set('offline');
  const onBrowserOffline = () => set('offline');
  const onBrowserOnline = () => {
    if (socket.connected) return set('connected');
    set('reconnecting');
    if (!socket.active) socket.connect();
  };

  socket.on('connect', onConnect);
  socket.on('disconnect', onDisconnect);
  socket.on('connect_error', onConnectError);
  socket.on('session:ended', onSessionEnded);
  socket.io.on('reconnect_attempt', onReconnectAttempt);
  socket.io.on('reconnect_failed', onReconnectFailed);
  window.addEventListener('offline', onBrowserOffline);
  window.addEventListener('online', onBrowserOnline);
  socket.connect();

  return () => {
    stopped = true;
    clearTimeout(retryTimer);
    socket.off('connect', onConnect);
    socket.off('disconnect', onDisconnect);
    socket.off('connect_error', onConnectError);
    socket.off('session:ended', onSessionEnded);
    socket.io.off('reconnect_attempt', onReconnectAttempt);
    socket.io.off('reconnect_failed', onReconnectFailed);
    window.removeEventListener('offline', onBrowserOffline);
    window.removeEventListener('online', onBrowserOnline);
    socket.disconnect();
  };
}
