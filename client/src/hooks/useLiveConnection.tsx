// Owns the logged-in user's socket.io connection: connects on mount, disconnects on unmount (logout), exposes
// the connection state for the top bar and the socket for later screens. Must never be mounted while logged out.
import { createContext, useContext, useEffect, useEffectEvent, useState, type ReactNode } from 'react';
import { attachLive, createSocket, type LiveState, type ParleySocket, type SessionEndReason } from '../api/socket.js';

interface LiveContextValue {
  socket: ParleySocket;
  state: LiveState;
  /** True until the first connection attempt settles, so the indicator can say "Connecting…". */
  firstAttempt: boolean;
}

const LiveContext = createContext<LiveContextValue | null>(null);

export function LiveConnectionProvider(props: { onSessionEnded(reason: SessionEndReason): void; children: ReactNode }) {
  const [socket] = useState(createSocket);
  const [state, setState] = useState<LiveState>('reconnecting');
  const [firstAttempt, setFirstAttempt] = useState(true);
  const sessionEnded = useEffectEvent((reason: SessionEndReason) => props.onSessionEnded(reason));

  useEffect(
    () =>
      attachLive(socket, {
        onState(next) {
          setState(next);
          setFirstAttempt(false);
        },
        onSessionEnded: (reason) => sessionEnded(reason),
      }),
    [socket],
  );

  return <LiveContext.Provider value={{ socket, state, firstAttempt }}>{props.children}</LiveContext.Provider>;
}

export function useLive(): LiveContextValue {
  const value = useContext(LiveContext);
  if (!value) throw new Error('useLive() outside LiveConnectionProvider');
  return value;
}
