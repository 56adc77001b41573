/**
 * A subscription whose every value is whole (presence, typing, the viewer's
 * thread updates): nothing to resume from, so after a reconnect graphql-ws
 * simply subscribes again and the first value is the current one. `enabled`
 * false holds it off (a thread not loaded yet).
 */
import { useEffect, useRef } from 'react';
import type { AnyVariables, CombinedError, DocumentInput } from '@urql/core';
import { useThrds } from './ThrdsContext.tsx';

export interface LiveSubscriptionOptions<Data, Variables extends AnyVariables> {
  readonly query: DocumentInput<Data, Variables>;
  readonly variables: Variables;
  readonly enabled?: boolean;
  readonly onData: (data: Data) => void;
  readonly onError?: (error: CombinedError) => void;
}

export function useLiveSubscription<Data, Variables extends AnyVariables>(options: LiveSubscriptionOptions<Data, Variables>): void {
  const { client } = useThrds();
  const latest = useRef(options);
  latest.current = options;
  const { query, enabled = true } = options;
  const variablesKey = JSON.stringify(options.variables);

  useEffect(() => {
    if (!enabled) return;
    const variables = JSON.parse(variablesKey) as Variables;
    const subscription = client.subscription(query, variables).subscribe((result) => {
      if (result.error) latest.current.onError?.(result.error);
      if (result.data) latest.current.onData(result.data);
    });
    return () => subscription.unsubscribe();
  }, [client, query, variablesKey, enabled]);
}
