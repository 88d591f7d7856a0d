// The top bar's live-connection indicator: a dot and a word driven by the socket state. Must never claim "Live"
// unless the socket is actually connected.
import { useLive } from '../hooks/useLiveConnection.js';

const LABELS = { connected: 'Live', reconnecting: 'Reconnecting…', offline: 'Offline' } as const;
const HINTS = {
  connected: 'Connected: new messages and updates arrive in real time.',
  reconnecting: 'The live connection dropped; retrying. Updates may be delayed.',
  offline: 'Not connected: updates will not arrive until the connection is back.',
} as const;

export function LiveIndicator() {
  const { state, firstAttempt } = useLive();
  const label = firstAttempt && state === 'reconnecting' ? 'Connecting…' : LABELS[state];
  return (
    <div
      className={`live live-${state}`}
      data-testid="live-indicator"
      data-state={state}
      role="status"
      aria-live="polite"
      title={HINTS[state]}
    >
      <span className="live-dot" aria-hidden="true" />
      <span className="live-label">{label}</span>
    </div>
  );
}
