/**
 * Where the "New" divider goes on entering a thread: above the first message
 * the viewer had not read, as the marker stood on entry. Unread counts only
 * others' messages that are not deleted (as the server counts them), so the
 * divider skips the viewer's own. With no marker yet (never opened) the
 * server's count says how many of the newest messages are unread.
 */
import { comparePositions, type Position } from '../api/position.ts';

export interface DividerMessage {
  readonly id: string;
  readonly position: Position;
  readonly author: { readonly id: string };
  readonly deletedAt: string | null;
}

export interface EntryMarker {
  readonly lastReadPosition: Position | null;
  readonly unreadCount: number;
}

/** The id of the message the divider sits above, or null for no divider. */
export function newDividerBefore(messages: readonly DividerMessage[], entry: EntryMarker, meId: string): string | null {
  if (entry.unreadCount <= 0) return null;
  const countable = messages.filter((m) => m.author.id !== meId && m.deletedAt === null);
  const marker = entry.lastReadPosition;
  if (marker !== null) return countable.find((m) => comparePositions(m.position, marker) > 0)?.id ?? null;
  return countable.at(-Math.min(entry.unreadCount, countable.length))?.id ?? null;
}
