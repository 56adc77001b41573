/** Who is online (no thread) or has `threadId` open, kept live; null until the first value. */
import { useState } from 'react';
import { decodePresence, type Presence } from '../api/decode.ts';
import { PresenceSubscription } from '../api/operations.ts';
import { useLiveSubscription } from '../api/useLiveSubscription.ts';

export function usePresence(threadId: string | null, enabled = true): Presence | null {
  const [presence, setPresence] = useState<Presence | null>(null);
  useLiveSubscription({
    query: PresenceSubscription,
    variables: { threadId },
    enabled,
    onData: (data) => {
      const next = decodePresence(data.presence);
      if (next) setPresence(next);
    },
  });
  return presence;
}
