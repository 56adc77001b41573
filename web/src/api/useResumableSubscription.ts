/**
 * Subscribes once `from` is known (after the snapshot it continues has loaded)
 * and keeps the subscription across reconnects, resuming after the newest
 * position delivered (the cursor of resume.ts, which createThrdsClient.ts
 * binds the subscription's `after` to). Events at or before a position
 * already seen are dropped, so the snapshot and the replay can overlap
 * without anything shown twice.
 */
import { useEffect, useRef } from 'react';
import type { AnyVariables, CombinedError, DocumentInput } from '@urql/core';
import { useThrds } from './ThrdsContext.tsx';
import { advance, createResumeCursor } from './resume.ts';
import type { Position } from './position.ts';

export interface ResumableSubscriptionOptions<Data, Variables extends AnyVariables> {
  readonly query: DocumentInput<Data, Variables>;
  /** Every variable but `after`, which comes from the cursor. */
  readonly variables: Omit<Variables, 'after'>;
  /** `undefined` while the snapshot is loading; `null` subscribes from the start of the log. */
  readonly from: Position | null | undefined;
  readonly positionOf: (data: Data) => Position | null;
  readonly onEvent: (data: Data) => void;
  readonly onError?: (error: CombinedError) => void;
}

export function useResumableSubscription<Data, Variables extends AnyVariables>(
  options: ResumableSubscriptionOptions<Data, Variables>,
): void {
  const { client } = useThrds();
  const latest = useRef(options);
  latest.current = options;
  const { query, from } = options;
  const variablesKey = JSON.stringify(options.variables);

  useEffect(() => {
    if (from === undefined) return;
    const resume = createResumeCursor(from);
    const variables = { ...(JSON.parse(variablesKey) as object), after: from } as unknown as Variables;
    const subscription = client.subscription(query, variables, { resume }).subscribe((result) => {
      if (result.error) latest.current.onError?.(result.error);
      if (!result.data) return;
      const position = latest.current.positionOf(result.data);
      if (position !== null && !advance(resume, position)) return;
      latest.current.onEvent(result.data);
    });
    return () => subscription.unsubscribe();
  }, [client, query, variablesKey, from]);
}
