/** The line under a thread that says who is writing, from the names the server's TypingUpdate lists. */

/** Null when nobody is typing; at most two names before "and N others". */
export function typingText(names: readonly string[]): string | null {
  const [first, second, third] = names;
  if (first === undefined) return null;
  if (second === undefined) return `${first} is typing…`;
  if (third === undefined) return `${first} and ${second} are typing…`;
  if (names.length === 3) return `${first}, ${second} and ${third} are typing…`;
  return `${first}, ${second} and ${names.length - 2} others are typing…`;
}
