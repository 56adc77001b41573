/** The threads, most recent activity first, each a link; the open one marked current. */
import type { ThreadList as ThreadListModel } from './useThreadList.ts';
import { followLink, threadPath } from '../ui/router.ts';
import { RelativeTime } from '../ui/RelativeTime.tsx';
import { LoadError } from '../ui/LoadError.tsx';
import type { ThreadUnread } from '../unread/unreadState.ts';
import { UnreadBadges } from '../unread/UnreadBadges.tsx';

export interface ThreadListProps {
  readonly list: ThreadListModel;
  readonly currentId: string | null;
  /** The viewer's counts per thread id. */
  readonly unread: ReadonlyMap<string, ThreadUnread>;
}

export function ThreadList({ list, currentId, unread }: ThreadListProps) {
  if (list.loading) return <p className="list-note" aria-busy="true">Loading threads…</p>;
  return (
    <>
      {list.error && list.threads.length === 0 && <LoadError failure={list.error} subject="threads" onRetry={list.retry} />}
      {list.threads.length === 0 && !list.error && <p className="list-note">No threads yet. Start one above.</p>}
      <ul className="thread-list" aria-label="Threads">
        {list.threads.map((thread) => {
          const counts = unread.get(thread.id);
          const unreadCount = counts?.unreadCount ?? 0;
          return (
          <li key={thread.id} data-thread-id={thread.id} data-unread={unreadCount}>
            <a
              href={threadPath(thread.id)}
              onClick={followLink}
              className={`thread-link${unreadCount > 0 ? ' unread' : ''}`}
              aria-current={thread.id === currentId ? 'page' : undefined}
            >
              <span className="thread-title-row">
                <span className="thread-title">{thread.title}</span>
                <UnreadBadges unreadCount={unreadCount} mentionCount={counts?.unreadMentionCount ?? 0} />
              </span>
              <span className="thread-meta">
                <span className="thread-count" data-count={thread.messageCount}>
                  {thread.messageCount === 0 ? 'No messages yet' : thread.messageCount === 1 ? '1 message' : `${thread.messageCount} messages`}
                </span>
                <span aria-hidden="true"> · </span>
                <RelativeTime iso={thread.lastActivityAt} />
              </span>
            </a>
          </li>
          );
        })}
      </ul>
      {list.hasMore && (
        <button type="button" className="button quiet wide" onClick={list.loadMore}>
          Show older threads
        </button>
      )}
    </>
  );
}
