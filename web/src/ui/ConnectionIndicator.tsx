/** Says whether live updates are flowing and requests are answered, in words as well as a colour, politely announced when it changes. */
import { useConnectionState } from '../api/ThrdsContext.tsx';
import type { ConnectionState } from '../api/connectionStatus.ts';

const labels: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
  trouble: 'Server trouble',
};

const explanations: Record<ConnectionState, string> = {
  connecting: 'Connecting to Thrds.',
  live: 'Connected: new messages appear as they are posted.',
  reconnecting: 'The live connection dropped; trying again.',
  offline: 'Thrds cannot be reached. Messages you send wait and go out when it is back.',
  trouble: 'Thrds is answering with errors; trying again.',
};

export function ConnectionIndicator() {
  const state = useConnectionState();
  return (
    <div className="connection" data-state={state} role="status" aria-live="polite" title={explanations[state]}>
      <span className="connection-dot" aria-hidden="true" />
      <span className="connection-label">{labels[state]}</span>
    </div>
  );
}
