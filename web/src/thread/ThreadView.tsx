/**
 * An open thread: header (title, lock, who has it open), live message log
 * with the "New" divider where the viewer stopped reading, who is typing,
 * composer. Keyed by thread id by its parent. Opened at a message (a link,
 * a search result, a quote), it loads back to that message and shows it.
 */
import { type FormEvent, type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Message, User, Viewer } from '../api/operations.ts';
import { useThreadCompany } from '../presence/useThreadCompany.ts';
import { ThreadViewers } from '../presence/ThreadViewers.tsx';
import { TypingLine } from '../presence/TypingLine.tsx';
import { newDividerBefore } from '../unread/newDivider.ts';
import { useMarkRead } from '../unread/useMarkRead.ts';
import type { ThreadUnread } from '../unread/unreadState.ts';
import { maxTitleLength } from '../threads/NewThreadForm.tsx';
import { followLink } from '../ui/router.ts';
import { Composer } from './Composer.tsx';
import { ConfirmDelete } from './ConfirmDelete.tsx';
import { MessageList } from './MessageList.tsx';
import { loadRecentEmoji, rememberEmoji, saveRecentEmoji } from './recentEmoji.ts';
import { useThread } from './useThread.ts';
import { jumpNote } from '../search/jumpState.ts';
import { useAttachmentTray } from '../attachments/useAttachmentTray.ts';
import { BotMenu } from '../bots/BotMenu.tsx';
import { shownDrafts } from '../bots/botDrafts.ts';
import { useBotList } from '../bots/useBotList.ts';
import { useActiveBots } from '../bots/liveBots.ts';
import { LoadError } from '../ui/LoadError.tsx';
import { WaitingSends } from '../shell/WaitingSends.tsx';

export interface ThreadViewProps {
  readonly threadId: string;
  readonly me: Viewer;
  /** People online anywhere: with the thread's authors, who `@` completes. */
  readonly onlineUsers: readonly User[];
  /** The thread's title for the tab (null once closed). */
  readonly onTitle: (title: string | null) => void;
  /** The thread was marked read: its counts after. */
  readonly onRead: (threadId: string, unread: ThreadUnread) => void;
  /** Open at this message (from the address: `/t/<thread>/m/<message>`). */
  readonly messageId?: string | null;
  /** Grows when the same message is asked for again (a second click on a search result): it is shown again. */
  readonly jumpRequest?: number;
}

export function ThreadView({ threadId, me, onlineUsers, onTitle, onRead, messageId = null, jumpRequest = 0 }: ThreadViewProps) {
  const meId = me.id;
  const thread = useThread(threadId, meId);
  const ready = thread.status === 'ready';
  const company = useThreadCompany(threadId, ready, thread.messages, onlineUsers);
  useMarkRead(threadId, ready ? thread.latestPosition : null, thread.entry?.lastReadPosition ?? null, onRead);

  // Where the reader stopped, as it was on entry: computed once, it does not move while they stay.
  const [dividerId, setDividerId] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    if (ready && dividerId === undefined && thread.entry) setDividerId(newDividerBefore(thread.messages, thread.entry, meId));
  }, [ready, dividerId, thread.entry, thread.messages, meId]);

  const canModerate = me.role === 'MODERATOR' || me.role === 'ADMIN';
  const [replyTo, setReplyTo] = useState<Message | null>(null);
  const cancelReply = useCallback(() => setReplyTo(null), []);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Message | null>(null);
  const composer = useRef<HTMLTextAreaElement>(null);
  const messagesRef = useRef(thread.messages);
  messagesRef.current = thread.messages;
  const { toggleReaction, edit, locked, jumpTo, jump } = thread;
  const tray = useAttachmentTray();

  // Bots (issue 15): `@` completes them with the people; a bot writing shows in its draft, not in the typing line.
  const botList = useBotList();
  // A bot the operator retired meanwhile leaves the header and the menu at once (liveBots.ts).
  const invitedBots = useActiveBots(thread.bots.invited);
  const availableBots = useActiveBots(botList.bots);
  const drafts = useMemo(() => shownDrafts(thread.bots.drafts, thread.messages), [thread.bots.drafts, thread.messages]);
  const typing = useMemo(() => company.typing.filter((u) => !drafts.some((d) => !d.ended && d.bot.id === u.id)), [company.typing, drafts]);
  const everyone = useMemo(() => {
    const known = new Set(company.people.map((u) => u.id));
    return [...company.people, ...botList.bots.filter((b) => !known.has(b.id))];
  }, [company.people, botList.bots]);
  // A retired bot that wrote here is among the thread's people too: it is no longer offered.
  const people = useActiveBots(everyone);

  useEffect(() => {
    if (ready && messageId) jumpTo(messageId);
  }, [ready, messageId, jumpRequest, jumpTo]);
  const focus = useMemo(() => (jump?.status === 'found' ? { messageId: jump.messageId, seq: jump.seq } : null), [jump]);
  const [noteDismissed, setNoteDismissed] = useState<number | null>(null);

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
    onTitle(thread.title || null);
  }, [thread.title, onTitle]);
  useEffect(() => () => onTitle(null), [onTitle]);

  if (thread.status === 'loading') return <section className="thread-view placeholder" aria-busy="true">Loading…</section>;
  if (thread.status !== 'ready') {
    return (
      <section className="thread-view placeholder">
        <LoadError failure={thread.status === 'not-found' ? null : thread.loadFailure} subject="thread" onRetry={thread.reload} backToThreads />
        <WaitingSends pending={thread.pending} onRetry={thread.retry} onDiscard={thread.discard} />
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
        <ThreadViewers presence={company.viewers} meId={meId} />
        <BotMenu
          invited={invitedBots}
          available={availableBots}
          listError={botList.error}
          canManage={thread.canRename || canModerate}
          onOpen={botList.refresh}
          invite={thread.bots.invite}
          remove={thread.bots.remove}
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
      {jump && jump.status !== 'found' && noteDismissed !== jump.seq && (
        <p className={`banner jump-note ${jump.status}`} role="status">
          {jumpNote(jump.status)}
          {jump.status === 'missing' && (
            <>
              {' '}
              <button type="button" className="link-button" onClick={() => setNoteDismissed(jump.seq)}>
                Dismiss
              </button>
            </>
          )}
        </p>
      )}
      <MessageList
        messages={thread.messages}
        pending={thread.pending}
        meId={meId}
        meUsername={me.username}
        dividerId={dividerId ?? null}
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
        onJump={jumpTo}
        focus={focus}
        drafts={drafts}
        initialAnchor={thread.initialAnchor}
        onLeave={thread.rememberAnchor}
      />
      <TypingLine users={typing} />
      <Composer
        replyTo={replyTo}
        onCancelReply={cancelReply}
        onSend={thread.send}
        onEditLast={editLast}
        locked={thread.locked}
        inputRef={composer}
        typing={company.reporter}
        people={people}
        meId={meId}
        attachments={tray}
        threadId={threadId}
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
