/** The signed-in app: one live client for the session, the thread list beside the open thread. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { createThrdsClient, type ThrdsClient } from './api/createThrdsClient.ts';
import { ThrdsProvider, useThrds } from './api/ThrdsContext.tsx';
import { LogoutMutation, type ThreadSummary, type User, type Viewer } from './api/operations.ts';
import { NewThreadForm } from './threads/NewThreadForm.tsx';
import { ThreadList } from './threads/ThreadList.tsx';
import { useThreadList, type ThreadList as ThreadListModel } from './threads/useThreadList.ts';
import { OnlinePeople } from './presence/OnlinePeople.tsx';
import { usePresence } from './presence/usePresence.ts';
import { NotificationToggle } from './mentions/NotificationToggle.tsx';
import { notifyMention } from './mentions/mentionNotifications.ts';
import { useUnread } from './unread/useUnread.ts';
import { tabTitle } from './unread/tabTitle.ts';
import type { ThreadUnread } from './unread/unreadState.ts';
import { ThreadView } from './thread/ThreadView.tsx';
import { ConnectionIndicator } from './ui/ConnectionIndicator.tsx';
import { followLink, navigate, parseRoute, threadPath, usePathname } from './ui/router.ts';
import { messagePath, parseMessageRoute } from './search/messageRoute.ts';
import { SearchBox } from './search/SearchBox.tsx';
import { ThemeSwitch } from './theme/ThemeSwitch.tsx';
import { AvatarSettings } from './identity/AvatarSettings.tsx';
import { SkipLinks } from './a11y/SkipLinks.tsx';
import { useShortcuts } from './shortcuts/useShortcuts.ts';
import { ShortcutsSheet } from './shortcuts/ShortcutsSheet.tsx';

export interface ChatAppProps {
  readonly token: string;
  readonly me: Viewer;
  readonly onSignOut: () => void;
  /** The viewer changed (their picture): App keeps the new one. */
  readonly onViewerChange: (me: Viewer) => void;
}

export function ChatApp({ token, me, onSignOut, onViewerChange }: ChatAppProps) {
  const [thrds, setThrds] = useState<ThrdsClient | null>(null);

  useEffect(() => {
    const created = createThrdsClient({ token, onUnauthorized: onSignOut });
    setThrds(created);
    return () => created.dispose();
  }, [token, onSignOut]);

  if (!thrds) return null;
  return (
    <ThrdsProvider value={thrds}>
      <ChatLayout me={me} onSignOut={onSignOut} onViewerChange={onViewerChange} />
    </ThrdsProvider>
  );
}

const noUsers: readonly User[] = [];

function ChatLayout({ me, onSignOut, onViewerChange }: { me: Viewer; onSignOut: () => void; onViewerChange: (me: Viewer) => void }) {
  const pathname = usePathname();
  const route = parseRoute(pathname);
  const at = parseMessageRoute(pathname);
  const thrds = useThrds();
  const listRef = useRef<ThreadListModel | null>(null);
  const unread = useUnread({
    onThread: (thread) => listRef.current?.add(thread),
    onMentioned: (threadId) => void notifyMention(thrds.client, threadId),
    onResync: () => listRef.current?.reload(),
  });
  const list = useThreadList(unread.apply);
  listRef.current = list;
  const currentId = route.name === 'thread' ? route.threadId : (at?.threadId ?? null);
  const [signingOut, setSigningOut] = useState(false);
  const online = usePresence(null);
  const [threadTitle, setThreadTitle] = useState<string | null>(null);
  /** Counts the times a message was asked for, so the same one asked again is shown again. */
  const [jumpRequest, setJumpRequest] = useState(0);
  const { apply: applyUnread, total: unreadThreads } = unread;
  const read = useCallback((threadId: string, counts: ThreadUnread) => applyUnread(new Map([[threadId, counts]])), [applyUnread]);
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  const closeShortcuts = useCallback(() => setShortcutsOpen(false), []);
  useShortcuts({ threadIds: list.threads.map((t) => t.id), currentId, onHelp: () => setShortcutsOpen(true) });

  useEffect(() => {
    document.title = tabTitle(unreadThreads, currentId ? threadTitle : null);
  }, [unreadThreads, currentId, threadTitle]);

  const created = useCallback(
    (thread: ThreadSummary) => {
      list.add(thread);
      navigate(threadPath(thread.id));
    },
    [list],
  );

  const openAt = useCallback((threadId: string, messageId: string) => {
    navigate(messagePath(threadId, messageId));
    setJumpRequest((n) => n + 1);
  }, []);

  const signOut = async () => {
    setSigningOut(true);
    // Best effort: the token is forgotten here whatever the server says.
    await thrds.client.mutation(LogoutMutation, {}).toPromise();
    onSignOut();
  };

  return (
    <div className={`chat${currentId ? ' has-thread' : ''}`}>
      <SkipLinks threadOpen={currentId !== null} />
      <header className="topbar">
        <h1 className="brand">
          <a href="/" onClick={followLink}>
            Thrds
          </a>
        </h1>
        <ConnectionIndicator />
        <SearchBox onOpen={openAt} />
        <OnlinePeople presence={online} meId={me.id} />
        <div className="whoami">
          <ThemeSwitch />
          <NotificationToggle />
          <AvatarSettings me={me} onChange={onViewerChange} />
          <span className="whoami-name" title={`@${me.username}`}>
            {me.displayName}
          </span>
          <button type="button" className="button quiet small" onClick={signOut} disabled={signingOut}>
            Sign out
          </button>
        </div>
      </header>
      <nav className="sidebar" aria-label="Threads">
        <NewThreadForm onCreated={created} />
        <ThreadList list={list} currentId={currentId} unread={unread.state.threads} />
      </nav>
      <main className="main" id="main" tabIndex={-1}>
        {currentId ? (
          <ThreadView
            key={currentId}
            threadId={currentId}
            me={me}
            onlineUsers={online?.users ?? noUsers}
            onTitle={setThreadTitle}
            onRead={read}
            messageId={at?.messageId ?? null}
            jumpRequest={jumpRequest}
          />
        ) : (
          <div className="placeholder">
            <p>Pick a thread, or start a new one.</p>
          </div>
        )}
      </main>
      {shortcutsOpen && <ShortcutsSheet onClose={closeShortcuts} />}
    </div>
  );
}
