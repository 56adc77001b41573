/**
 * Who else is in an open thread: the people with it open, who of them is
 * typing (someone whose message just arrived is taken off at once), the
 * reporter that tells the server when the viewer types, and everyone `@`
 * may complete (the thread's authors, newest first, then the people online).
 */
import { useEffect, useMemo } from 'react';
import { SetTypingMutation, type Message, type User } from '../api/operations.ts';
import type { Presence } from '../api/decode.ts';
import { useThrds } from '../api/ThrdsContext.tsx';
import { createTypingReporter, type TypingReporter } from './typingReporter.ts';
import { usePresence } from './usePresence.ts';
import { useTyping } from './useTyping.ts';

export interface ThreadCompany {
  readonly viewers: Presence | null;
  readonly typing: readonly User[];
  readonly reporter: TypingReporter;
  readonly people: readonly User[];
}

export function useThreadCompany(threadId: string, ready: boolean, messages: readonly Message[], onlineUsers: readonly User[]): ThreadCompany {
  const { client } = useThrds();
  const viewers = usePresence(threadId, ready);
  const { users: typing, posted } = useTyping(threadId, ready);

  const newest = messages.at(-1);
  useEffect(() => {
    if (newest) posted(newest.author.id);
  }, [newest?.id, posted]);

  const reporter = useMemo(
    () =>
      createTypingReporter({
        now: () => Date.now(),
        report: (isTyping) => void client.mutation(SetTypingMutation, { input: { threadId, typing: isTyping } }).toPromise(),
      }),
    [client, threadId],
  );
  // Leaving the thread while typing says so.
  useEffect(() => () => reporter.stopped(), [reporter]);

  const people = useMemo(() => {
    const byId = new Map<string, User>();
    for (let i = messages.length - 1; i >= 0; i--) {
      const author = messages[i]?.author;
      if (author && !byId.has(author.id)) byId.set(author.id, author);
    }
    for (const user of [...(viewers?.users ?? []), ...onlineUsers]) if (!byId.has(user.id)) byId.set(user.id, user);
    return [...byId.values()];
  }, [messages, viewers, onlineUsers]);

  return { viewers, typing, reporter, people };
}
