/** Makes the session's client and its connection status reachable from any component. */
import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import { Provider } from 'urql';
import type { ConnectionState } from './connectionStatus.ts';
import type { ThrdsClient } from './createThrdsClient.ts';

const ThrdsContext = createContext<ThrdsClient | null>(null);

export function ThrdsProvider({ value, children }: { value: ThrdsClient; children: ReactNode }) {
  return (
    <ThrdsContext.Provider value={value}>
      <Provider value={value.client}>{children}</Provider>
    </ThrdsContext.Provider>
  );
}

export function useThrds(): ThrdsClient {
  const value = useContext(ThrdsContext);
  if (!value) throw new Error('useThrds() needs a <ThrdsProvider> above it');
  return value;
}

export function useConnectionState(): ConnectionState {
  const { status } = useThrds();
  return useSyncExternalStore(status.subscribe, status.get);
}
