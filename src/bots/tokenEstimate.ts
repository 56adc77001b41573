/**
 * A cheap token estimate for the prompt's budget, not a tokenizer: models
 * differ, and counting exactly would mean shipping each one's vocabulary.
 * Four UTF-8 bytes a token is close for English with the common BPE
 * vocabularies; counting bytes rather than characters keeps CJK and emoji
 * (one token or more per character) from being undercounted fourfold. Each
 * turn adds a few tokens of framing (role, separators), as the chat
 * templates do.
 */
import type { ChatTurn } from './types.ts';

/** Tokens of framing per turn (role markers and separators) in the common chat templates. */
export const TOKENS_PER_TURN = 4;
/** Tokens that prime the reply (the assistant's header). */
export const TOKENS_PER_PROMPT = 3;

/** Estimated tokens of `text`: its UTF-8 bytes / 4, rounded up. */
export function estimateTokens(text: string): number {
  return Math.ceil(Buffer.byteLength(text, 'utf8') / 4);
}

export function estimateTurnTokens(turn: ChatTurn): number {
  return TOKENS_PER_TURN + estimateTokens(turn.content) + (turn.name === undefined ? 0 : estimateTokens(turn.name));
}

export function estimatePromptTokens(turns: readonly ChatTurn[]): number {
  return turns.reduce((sum, turn) => sum + estimateTurnTokens(turn), TOKENS_PER_PROMPT);
}
