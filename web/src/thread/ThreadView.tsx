/** An open thread: header (title, lock), live message log, composer. Keyed by thread id by its parent. */
import { type FormEvent, type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import type { Message, Viewer } from '../api/operations.ts';
import { maxTitleLength } from '../threads/NewThreadForm.tsx';
import { followLink } from '../ui/router.ts';
import { Composer } from './Composer.tsx';
import { ConfirmDelete } from './ConfirmDelete.tsx';
import { MessageList } from './MessageList.tsx';
import { loadRecentEmoji, rememberEmoji, saveRecentEmoji } from './recentEmoji.ts';
import { useThread } from './useThread.ts';

export function ThreadView({ threadId, me }: { threadId: string; me: Viewer }) {
  const meId = me.id;
  const thread = useThread(threadId, meId);
  const canModerate = me.role === 'MODERATOR' || me.role === 'ADMIN';
  const [replyTo, setReplyTo] = useState<Message | null>(null);
  const cancelReply = useCallback(() => setReplyTo(null), []);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Message | null>(null);
  const composer = useRef<HTMLTextAreaElement>(null);
  const messagesRef = useRef(thread.messages);
  messagesRef.current = thread.messages;
  const { toggleReaction, edit, locked } = thread;

  // Done editing (saved or not): back to writing, as after ↑ in a chat.
  const changeEditing = useCallback((messageId: string | null) => {
    setEditingId(messageId);
    if (messageId === null) requestAnimationFrame(() => composer.current?.focus());
  }, []);

  const editLast = useCallback(() => {
    if (locked) return false;
    const last = messagesRef.current.findLast((m) => m.author.id === meId && m.deletedAt === null);
    if (!last) return false;
    setEditingId(last.id);
    return true;
  }, [locked, meId]);

  // A lock (or a deletion) that lands mid-edit ends the edit.
  const editing = thread.messages.find((m) => m.id === editingId);
  useEffect(() => {
    if (editingId !== null && (locked || !editing || editing.deletedAt !== null)) setEditingId(null);
  }, [editingId, editing, locked]);

  const react = useCallback(
    (messageId: string, emoji: string) => {
      const adding = !messagesRef.current.find((m) => m.id === messageId)?.reactions.some((g) => g.emoji === emoji && g.reactedByMe);
      if (adding) saveRecentEmoji(rememberEmoji(loadRecentEmoji(), emoji));
      toggleReaction(messageId, emoji);
    },
    [toggleReaction],
  );

  const closeDelete = useCallback(() => {
    setDeleting(null);
    requestAnimationFrame(() => composer.current?.focus());
  }, []);

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
        <ThreadTitle
          title={thread.title}
          canRename={thread.canRename}
          onRename={thread.rename}
          badge={
            thread.locked && (
              <span className="lock-badge" title="Locked: no new messages, reactions or edits">
                <span aria-hidden="true">🔒</span> Locked
              </span>
            )
          }
        />
        {canModerate && (
          <button type="button" className="button small quiet lock-button" onClick={() => thread.setLocked(!thread.locked)}>
            {thread.locked ? 'Unlock thread' : 'Lock thread'}
          </button>
        )}
      </header>
      {thread.error && (
        <p className="banner error" role="alert">
          {thread.error}
        </p>
      )}
      {thread.problem && (
        <p className="banner error" role="alert">
          {thread.problem}{' '}
          <button type="button" className="link-button" onClick={thread.dismissProblem}>
            Dismiss
          </button>
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
        editingId={editingId}
        locked={thread.locked}
        canModerate={canModerate}
        onToggleReaction={react}
        onEdit={changeEditing}
        onSaveEdit={edit}
        onDelete={setDeleting}
        onRetry={thread.retry}
        onDiscard={thread.discard}
      />
      <Composer
        replyTo={replyTo}
        onCancelReply={cancelReply}
        onSend={thread.send}
        onEditLast={editLast}
        locked={thread.locked}
        inputRef={composer}
      />
      {deleting && (
        <ConfirmDelete
          message={deleting}
          asModerator={deleting.author.id !== meId}
          onConfirm={(reason) => thread.remove(deleting.id, reason)}
          onClose={closeDelete}
        />
      )}
    </section>
  );
}

/** The thread's title; its creator may edit it in place (Enter saves, Escape cancels). */
interface ThreadTitleProps {
  readonly title: string;
  readonly canRename: boolean;
  readonly onRename: (title: string) => Promise<string | null>;
  /** Shown beside the title (the lock). */
  readonly badge: ReactNode;
}

function ThreadTitle({ title, canRename, onRename, badge }: ThreadTitleProps) {
  const [draft, setDraft] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  if (draft === null) {
    return (
      <>
        <h2 id="thread-title">{title}</h2>
        {badge}
        {canRename && (
          <button type="button" className="rename-button button small quiet" onClick={() => setDraft(title)}>
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
