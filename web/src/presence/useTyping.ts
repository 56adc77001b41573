/**
 * Who else is typing in a thread, as the server's updates say, except that
 * someone whose message has just arrived is taken off at once (the server
 * ends their typing when they post; its update may come a moment later).
 */
import { useCallback, useState } from 'react';
import { decodeUser, type User } from '../api/decode.ts';
import { TypingSubscription } from '../api/operations.ts';
import { useLiveSubscription } from '../api/useLiveSubscription.ts';

export interface Typing {
  readonly users: readonly User[];
  /** `userId` posted: they are no longer typing. */
  posted(userId: string): void;
}

export function useTyping(threadId: string, enabled: boolean): Typing {
  const [users, setUsers] = useState<readonly User[]>([]);
  useLiveSubscription({
    query: TypingSubscription,
    variables: { threadId },
    enabled,
    onData: (data) => setUsers((data.typing?.users ?? []).flatMap((u) => decodeUser(u) ?? [])),
  });
  const posted = useCallback((userId: string) => setUsers((u) => (u.some((x) => x.id === userId) ? u.filter((x) => x.id !== userId) : u)), []);
  return { users, posted };
}
