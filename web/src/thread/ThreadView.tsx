/** An open thread: header, live message log, composer. Keyed by thread id by its parent. */
import { useCallback, useEffect, useState } from 'react';
import type { Message } from '../api/operations.ts';
import { followLink } from '../ui/router.ts';
import { Composer } from './Composer.tsx';
import { MessageList } from './MessageList.tsx';
import { useThread } from './useThread.ts';

export function ThreadView({ threadId, meId }: { threadId: string; meId: string }) {
  const thread = useThread(threadId, meId);
  const [replyTo, setReplyTo] = useState<Message | null>(null);
  const cancelReply = useCallback(() => setReplyTo(null), []);

  useEffect(() => {
    document.title = thread.title ? `${thread.title} · Thrds` : 'Thrds';
    return () => {
      document.title = 'Thrds';
    };
  }, [thread.title]);

  if (thread.status === 'loading') return <section className="thread-view placeholder" aria-busy="true">Loading…</section>;
  if (thread.status !== 'ready') {
    return (
      <section className="thread-view placeholder">
        <p role="alert">{thread.status === 'not-found' ? 'This thread does not exist.' : (thread.error ?? 'Could not load this thread.')}</p>
        <a href="/" onClick={followLink}>
          Back to threads
        </a>
      </section>
    );
  }

  return (
    <section className="thread-view" aria-labelledby="thread-title">
      <header className="thread-header">
        <a className="back-link" href="/" onClick={followLink} aria-label="Back to threads">
          ←
        </a>
        <h2 id="thread-title">{thread.title}</h2>
      </header>
      {thread.error && (
        <p className="banner error" role="alert">
          {thread.error}
        </p>
      )}
      <MessageList
        messages={thread.messages}
        pending={thread.pending}
        meId={meId}
        hasOlder={thread.hasOlder}
        loadingOlder={thread.loadingOlder}
        onLoadOlder={thread.loadOlder}
        onReply={setReplyTo}
        onRetry={thread.retry}
        onDiscard={thread.discard}
      />
      <Composer replyTo={replyTo} onCancelReply={cancelReply} onSend={thread.send} />
    </section>
  );
}
