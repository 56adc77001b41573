/**
 * The browser tab's title: "(N) " in front while N threads have unread
 * messages (N is `Query.unreadThreads`, threads rather than messages, the
 * same number whatever the list has loaded), then the open thread's title.
 */
export function tabTitle(unreadThreads: number, threadTitle: string | null): string {
  const base = threadTitle ? `${threadTitle} · Thrds` : 'Thrds';
  return unreadThreads > 0 ? `(${unreadThreads}) ${base}` : base;
}
