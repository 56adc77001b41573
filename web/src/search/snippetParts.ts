/**
 * A search snippet as text and highlighted runs. The server marks each match
 * with U+0002 (start) and U+0003 (end), characters a message body can never
 * hold; the app turns them into <mark> elements, never into HTML. A marker
 * without its partner (a snippet cut inside a match) still reads sensibly.
 */
export const matchStart = '\u0002';
export const matchEnd = '\u0003';

export interface SnippetPart {
  readonly text: string;
  readonly match: boolean;
}

export function snippetParts(snippet: string): readonly SnippetPart[] {
  const parts: SnippetPart[] = [];
  let text = '';
  let match = false;
  const flush = () => {
    if (text !== '') parts.push({ text, match });
    text = '';
  };
  for (const ch of snippet) {
    if (ch === matchStart || ch === matchEnd) {
      flush();
      match = ch === matchStart;
    } else {
      text += ch;
    }
  }
  flush();
  return parts;
}
