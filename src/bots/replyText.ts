/** A model's text as a bot posts it (pure): trimmed, and cut at a word boundary past the longest reply allowed. */

/** Where a cut may fall at the latest: a whitespace in the last fifth, else at the limit itself. */
const WORD_BOUNDARY_REACH = 0.2;

export function replyText(text: string, maxChars: number): string {
  const trimmed = text.trim();
  if (trimmed.length <= maxChars) return trimmed;
  // One character is kept for the ellipsis that says the text was cut.
  let end = maxChars - 1;
  const space = lastWhitespace(trimmed, end);
  if (space >= end * (1 - WORD_BOUNDARY_REACH)) end = space;
  // Never split a surrogate pair (an emoji) in two.
  const code = trimmed.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${trimmed.slice(0, end).trimEnd()}…`;
}

function lastWhitespace(text: string, before: number): number {
  for (let i = before; i > 0; i -= 1) if (/\s/.test(text[i]!)) return i;
  return -1;
}
