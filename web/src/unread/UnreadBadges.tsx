/** A thread's unread count and, when the viewer is among them, an "@" for unread mentions. */
export function UnreadBadges({ unreadCount, mentionCount }: { unreadCount: number; mentionCount: number }) {
  if (unreadCount <= 0 && mentionCount <= 0) return null;
  return (
    <span className="unread-badges">
      {mentionCount > 0 && (
        <span className="mention-badge" data-count={mentionCount} title={mentionCount === 1 ? '1 unread mention of you' : `${mentionCount} unread mentions of you`}>
          @<span className="visually-hidden">{mentionCount === 1 ? ' 1 unread mention' : ` ${mentionCount} unread mentions`}</span>
        </span>
      )}
      {unreadCount > 0 && (
        <span className="unread-badge" data-count={unreadCount}>
          {unreadCount > 99 ? '99+' : unreadCount}
          <span className="visually-hidden"> unread</span>
        </span>
      )}
    </span>
  );
}
