/** An open thread: header, live message log, composer. Keyed by thread id by its parent. */
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { Message } from '../api/operations.ts';
import { maxTitleLength } from '../threads/NewThreadForm.tsx';
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
        <ThreadTitle title={thread.title} canRename={thread.canRename} onRename={thread.rename} />
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

/** The thread's title; its creator may edit it in place (Enter saves, Escape cancels). */
function ThreadTitle({ title, canRename, onRename }: { title: string; canRename: boolean; onRename: (title: string) => Promise<string | null> }) {
  const [draft, setDraft] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  if (draft === null) {
    return (
      <>
        <h2 id="thread-title">{title}</h2>
        {canRename && (
          <button type="button" className="rename-button" onClick={() => setDraft(title)}>
            Rename
          </button>
        )}
      </>
    );
  }

  const save = (event: FormEvent) => {
    event.preventDefault();
    const next = draft.trim();
    if (next === '' || next === title) {
      setDraft(null);
      return;
    }
    setSaving(true);
    void onRename(next).then((failure) => {
      setSaving(false);
      setProblem(failure);
      if (!failure) setDraft(null);
    });
  };

  return (
    <form className="rename-form" onSubmit={save}>
      <input
        aria-label="New title for the thread"
        value={draft}
        maxLength={maxTitleLength}
        autoFocus
        disabled={saving}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            setDraft(null);
            setProblem(null);
          }
        }}
      />
      <button type="submit" disabled={saving}>
        Save
      </button>
      {problem && (
        <span className="error" role="alert">
          {problem}
        </span>
      )}
    </form>
  );
}
