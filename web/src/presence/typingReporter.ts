/**
 * When the composer tells the server the viewer is typing. The server forgets
 * a typing state about 6 s after its last renewal, so while the text keeps
 * changing a renewal goes out at most every `renewEveryMs` (3 s: two chances
 * before it lapses); clearing the box, leaving it or sending says "stopped"
 * once. The clock is passed in, so the rule is tested without waiting.
 */
export interface TypingReporter {
  /** The composer's text changed to `text`. */
  changed(text: string): void;
  /** The viewer stopped: sent, cleared or left the composer. Says so only if it had said "typing". */
  stopped(): void;
}

export interface TypingReporterOptions {
  readonly report: (typing: boolean) => void;
  readonly now: () => number;
  readonly renewEveryMs?: number;
}

export const typingRenewEveryMs = 3_000;

export function createTypingReporter({ report, now, renewEveryMs = typingRenewEveryMs }: TypingReporterOptions): TypingReporter {
  let lastSaidTypingAt: number | null = null;
  const stopped = () => {
    if (lastSaidTypingAt === null) return;
    lastSaidTypingAt = null;
    report(false);
  };
  return {
    changed(text) {
      if (text.trim() === '') {
        stopped();
        return;
      }
      const at = now();
      if (lastSaidTypingAt !== null && at - lastSaidTypingAt < renewEveryMs) return;
      lastSaidTypingAt = at;
      report(true);
    },
    stopped,
  };
}
