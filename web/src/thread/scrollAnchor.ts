/**
 * Where the reader was in a thread's list, to put them back there on return:
 * at the bottom (following new messages), or a message and how far its top
 * sat from the top of the view (negative: scrolled partly past it).
 */
export type ScrollAnchor = { readonly kind: 'bottom' } | { readonly kind: 'message'; readonly messageId: string; readonly offset: number };

export const atBottom: ScrollAnchor = { kind: 'bottom' };

/** The first row of `rows` (in order) whose bottom is below `viewTop`: the one the reader's eye starts at. */
export function anchorOf(rows: readonly { readonly id: string; readonly top: number; readonly bottom: number }[], viewTop: number): ScrollAnchor | null {
  const first = rows.find((r) => r.bottom > viewTop);
  return first ? { kind: 'message', messageId: first.id, offset: first.top - viewTop } : null;
}
