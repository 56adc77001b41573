/** Says whether live updates are flowing, politely announced when it changes. */
import { useConnectionState } from '../api/ThrdsContext.tsx';
import type { ConnectionState } from '../api/connectionStatus.ts';

const labels: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

export function ConnectionIndicator() {
  const state = useConnectionState();
  return (
    <div className="connection" data-state={state} role="status" aria-live="polite">
      <span className="connection-dot" aria-hidden="true" />
      <span className="connection-label">{labels[state]}</span>
    </div>
  );
}
