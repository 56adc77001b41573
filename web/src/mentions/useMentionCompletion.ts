/**
 * `@` completion over a text box: the people whose names match what follows
 * the `@`, driven as every completion list is (ui/useTextCompletion.ts):
 * arrows move, Enter or Tab picks `@username `, Escape closes (that `@` is
 * not offered again until the caret leaves its word). The rules themselves
 * are in mentionCompletion.ts.
 */
import type { RefObject } from 'react';
import type { User } from '../api/decode.ts';
import { type TextCompletion, useTextCompletion } from '../ui/useTextCompletion.ts';
import { activeMention, completeMention, mentionCandidates } from './mentionCompletion.ts';

/** The people offered (`options`), which one is selected, and the keys. */
export type MentionCompletion = TextCompletion<User>;

export interface MentionCompletionOptions {
  readonly input: RefObject<HTMLTextAreaElement | null>;
  readonly text: string;
  /** The text after a pick. */
  readonly onText: (text: string) => void;
  readonly people: readonly User[];
  readonly meId: string;
}

export function useMentionCompletion({ input, text, onText, people, meId }: MentionCompletionOptions): MentionCompletion {
  return useTextCompletion({
    input,
    text,
    onText,
    find: activeMention,
    optionsFor: (mention) => mentionCandidates(people, mention.query, meId),
    complete: (value, mention, caret, user) => completeMention(value, mention, caret, user.username),
  });
}
