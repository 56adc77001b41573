/**
 * The message log as the rows a virtualized list draws, one row per DOM item:
 * a day separator above the first message of each calendar day, the "New"
 * divider above the first unread one, and the messages themselves, each
 * knowing whether it continues its author's block. Keys are stable across
 * older pages arriving, so the list can keep the reader's place by key.
 */
import type { Message } from '../api/operations.ts';
import { dayKey } from '../identity/dayLabel.ts';

export type ListRow =
  | { readonly kind: 'day'; readonly key: string; readonly iso: string }
  | { readonly kind: 'divider'; readonly key: string }
  | { readonly kind: 'message'; readonly key: string; readonly message: Message; readonly continued: boolean };

const groupWithinMs = 5 * 60_000;

/** Consecutive messages by one author, close in time and on the same day, read as one block. */
function continues(previous: Message | undefined, message: Message, newDay: boolean): boolean {
  return (
    previous !== undefined &&
    !newDay &&
    previous.author.id === message.author.id &&
    message.replyTo === null &&
    Date.parse(message.postedAt) - Date.parse(previous.postedAt) < groupWithinMs
  );
}

/** `day` gives a message's calendar day (the viewer's time zone by default; tests pass their own). */
export function listRows(messages: readonly Message[], dividerId: string | null, day: (iso: string) => string = (iso) => dayKey(new Date(iso))): ListRow[] {
  const rows: ListRow[] = [];
  let previousDay: string | undefined;
  let previous: Message | undefined;
  for (const message of messages) {
    const today = day(message.postedAt);
    const newDay = today !== previousDay;
    // Keyed by the message it sits above: the same separator keeps its key when older pages come in above it.
    if (newDay) rows.push({ kind: 'day', key: `day:${message.id}`, iso: message.postedAt });
    if (message.id === dividerId) rows.push({ kind: 'divider', key: 'new-divider' });
    rows.push({ kind: 'message', key: message.id, message, continued: continues(previous, message, newDay) });
    previousDay = today;
    previous = message;
  }
  return rows;
}

/**
 * The first item index that keeps the row `anchorKey` at the same absolute
 * index after rows were added (or a separator removed) above it: what
 * Virtuoso's `firstItemIndex` needs to hold the reader's place when an older
 * page is prepended. Unchanged when the anchor is gone.
 */
export function shiftedFirstIndex(firstIndex: number, before: readonly ListRow[], after: readonly ListRow[], anchorKey: string | undefined): number {
  if (anchorKey === undefined) return firstIndex;
  const was = before.findIndex((r) => r.key === anchorKey);
  const now = after.findIndex((r) => r.key === anchorKey);
  return was < 0 || now < 0 ? firstIndex : firstIndex + was - now;
}
