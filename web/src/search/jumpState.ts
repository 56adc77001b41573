/**
 * Opening a thread at one message (a quote, a search result, a link): the
 * thread's pages load from the newest back, so whether the message is loaded,
 * older than everything loaded (load another page), or not in this thread at
 * all follows from its log position and the oldest loaded one.
 */
import { comparePositions, type Position } from '../api/position.ts';

export type JumpStatus = 'loading' | 'found' | 'missing';

/** The current jump: `seq` grows with every request, so asking for the same message again highlights it again. */
export interface Jump {
  readonly messageId: string;
  readonly status: JumpStatus;
  readonly seq: number;
}

export type JumpStep = 'found' | 'load-older' | 'missing';

interface Placed {
  readonly id: string;
  readonly position: Position;
}

/**
 * What to do next to show `messageId`. `target` is its position when known
 * (null: unknown, keep loading while there is more). Loaded messages are in
 * log order, oldest first.
 */
export function nextJumpStep(loaded: readonly Placed[], messageId: string, target: Position | null, hasOlder: boolean): JumpStep {
  if (loaded.some((m) => m.id === messageId)) return 'found';
  if (!hasOlder) return 'missing';
  const oldest = loaded[0];
  // At or after the oldest loaded message and still not here: older pages cannot bring it.
  if (target !== null && oldest !== undefined && comparePositions(target, oldest.position) >= 0) return 'missing';
  return 'load-older';
}

/** The note a reader sees (and a screen reader hears) while jumping and after. */
export function jumpNote(status: JumpStatus): string {
  switch (status) {
    case 'loading':
      return 'Loading earlier messages to find that message…';
    case 'found':
      return 'Showing the message you asked for.';
    case 'missing':
      return 'That message is no longer here: it may have been removed, or the link is wrong.';
  }
}
