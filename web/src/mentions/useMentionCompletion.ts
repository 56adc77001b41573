/**
 * The state of `@` completion over a text box: which word is being
 * completed (followed as the text and the caret move), the people it
 * matches, which one is selected, and the keys that drive it: arrows move,
 * Enter or Tab picks, Escape closes (that `@` is not offered again until
 * the caret leaves its word). The rules themselves are in mentionCompletion.ts.
 */
import { useLayoutEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { completionKey } from '../ui/completionKeys.ts';
import type { User } from '../api/decode.ts';
import { activeMention, completeMention, mentionCandidates, type ActiveMention } from './mentionCompletion.ts';

export interface MentionCompletion {
  /** The people offered, empty when nothing is being completed. */
  readonly candidates: readonly User[];
  /** Index of the selected one, -1 when closed. */
  readonly active: number;
  /** The text or the caret moved. */
  track(text: string, caret: number | null): void;
  /** Puts `@username ` in place of the word being completed. */
  choose(user: User): void;
  close(): void;
  /** Handles the key when completion is open; true when it did (the caller does nothing more). */
  onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): boolean;
}

export interface MentionCompletionOptions {
  readonly input: RefObject<HTMLTextAreaElement | null>;
  readonly text: string;
  /** The text after a pick. */
  readonly onText: (text: string) => void;
  readonly people: readonly User[];
  readonly meId: string;
}

export function useMentionCompletion({ input, text, onText, people, meId }: MentionCompletionOptions): MentionCompletion {
  const [mention, setMention] = useState<ActiveMention | null>(null);
  const [selected, setSelected] = useState(0);
  const dismissed = useRef<number | null>(null);
  const caretAfter = useRef<number | null>(null);
  const candidates = mention ? mentionCandidates(people, mention.query, meId) : [];
  const active = candidates.length > 0 ? Math.min(selected, candidates.length - 1) : -1;

  // After a pick, the caret goes after the inserted name once React has put the text in.
  useLayoutEffect(() => {
    const el = input.current;
    if (el && caretAfter.current !== null) {
      el.setSelectionRange(caretAfter.current, caretAfter.current);
      caretAfter.current = null;
    }
  }, [text, input]);

  const track = (value: string, caret: number | null) => {
    const found = caret === null ? null : activeMention(value, caret);
    if (!found) dismissed.current = null;
    const next = found && dismissed.current !== found.start ? found : null;
    if (next?.start !== mention?.start || next?.query !== mention?.query) setSelected(0);
    setMention(next);
  };

  const choose = (user: User) => {
    const el = input.current;
    if (!mention || !el) return;
    const done = completeMention(text, mention, el.selectionStart, user.username);
    caretAfter.current = done.caret;
    setMention(null);
    onText(done.text);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    const open = mention;
    if (!open) return false;
    const dismiss = () => {
      dismissed.current = open.start;
      setMention(null);
    };
    return completionKey(event, { options: candidates, active, select: setSelected, choose, dismiss });
  };

  return { candidates, active, track, choose, close: () => setMention(null), onKeyDown };
}
