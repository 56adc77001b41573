/**
 * Splits a message body into text and the `@username` mentions the server
 * found in it (`Message.mentions`), so they can be shown apart and the
 * viewer's own highlighted. Only names the server recognised are marked:
 * the client does not guess which words are people.
 */
export type MessagePart = string | { readonly text: string; readonly username: string };

const mentionPattern = /(?<![\p{L}\p{N}_@.+-])@([a-z0-9_]{3,32})(?![a-z0-9_])/giu;

export function mentionParts(body: string, mentioned: readonly string[]): MessagePart[] {
  if (mentioned.length === 0) return [body];
  const names = new Set(mentioned.map((n) => n.toLowerCase()));
  const parts: MessagePart[] = [];
  let last = 0;
  for (const match of body.matchAll(mentionPattern)) {
    const name = match[1];
    if (name === undefined || !names.has(name.toLowerCase())) continue;
    if (match.index > last) parts.push(body.slice(last, match.index));
    parts.push({ text: match[0], username: name.toLowerCase() });
    last = match.index + match[0].length;
  }
  if (last < body.length) parts.push(body.slice(last));
  return parts;
}
