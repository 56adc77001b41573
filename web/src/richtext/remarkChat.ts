/**
 * The remark step that makes markdown a chat subset before it becomes React
 * elements:
 * - images turn into their text (a message shows pictures only as
 *   attachments, so a markdown image never loads anything);
 * - raw HTML turns into the text it is (its URLs still links, as in a PLAIN
 *   message);
 * - the `@username` mentions the server recognised become marked spans, the
 *   viewer's own set apart; code (inline and fenced) holds its text in
 *   `value`, not in text children, so a mention is never marked inside code;
 * - a line break typed inside a paragraph stays one (chat is written line by
 *   line; CommonMark would join the lines).
 */
import type { Parent, PhrasingContent, Root, RootContent, Text } from 'mdast';
import { mentionParts } from '../mentions/mentionParts.ts';

export interface RemarkChatOptions {
  /** Usernames (lower case) the server found in the message. */
  readonly mentions: readonly string[];
  /** The viewer's username, lower case. */
  readonly me: string;
}

export function remarkChat(options: RemarkChatOptions) {
  return (tree: Root): void => {
    rewrite(tree, options);
  };
}

function rewrite(parent: Parent, options: RemarkChatOptions): void {
  parent.children = parent.children.flatMap((child: RootContent): RootContent[] => {
    if (child.type === 'image') return [text(imageText(child.alt ?? '', child.url))];
    if (child.type === 'imageReference') return [text(child.alt ?? '')];
    if (child.type === 'text') return phrasing(child.value, options, false);
    if (child.type === 'html') {
      const shown = phrasing(child.value, options, parent.type !== 'link');
      return flowParents.has(parent.type) ? [{ type: 'paragraph', children: shown }] : shown;
    }
    if ('children' in child) rewrite(child, options);
    return [child];
  });
}

/** Where an HTML node is a block of its own (shown as a paragraph of text), not inline in one. */
const flowParents = new Set(['root', 'blockquote', 'listItem', 'footnoteDefinition']);

/**
 * Text as lines, with its mentions marked; `links` also makes its http(s) URLs
 * links, for raw HTML shown as text (GFM found the URLs of ordinary text already).
 */
function phrasing(value: string, options: RemarkChatOptions, links: boolean): PhrasingContent[] {
  return lines(value).flatMap((line, i) => {
    const parts = links ? linkParts(line, options) : markMentions(line, options);
    return i === 0 ? parts : [{ type: 'break' }, ...parts];
  });
}

// As ui/LinkifiedText.tsx finds URLs in plain messages.
const urlPattern = /\bhttps?:\/\/[^\s<>"']+/gi;
const trailingPunctuation = /[.,;:!?)\]}]+$/;

function linkParts(line: string, options: RemarkChatOptions): PhrasingContent[] {
  const parts: PhrasingContent[] = [];
  let last = 0;
  for (const match of line.matchAll(urlPattern)) {
    const url = match[0].replace(trailingPunctuation, '');
    parts.push(...markMentions(line.slice(last, match.index), options), { type: 'link', url, children: [text(url)] });
    last = match.index + url.length;
  }
  parts.push(...markMentions(line.slice(last), options));
  return parts;
}

/** What an image written in markdown shows instead: its description, then where it points. */
export function imageText(alt: string, url: string): string {
  return alt && url ? `${alt} (${url})` : alt || url;
}

function text(value: string): Text {
  return { type: 'text', value };
}

function lines(value: string): string[] {
  return value.split(/\r?\n/);
}

function markMentions(value: string, { mentions, me }: RemarkChatOptions): PhrasingContent[] {
  if (value === '') return [];
  return mentionParts(value, mentions).map((part) =>
    typeof part === 'string'
      ? text(part)
      : {
          type: 'text',
          value: part.text,
          data: { hName: 'span', hProperties: { className: part.username === me ? ['mention', 'me'] : ['mention'], dataUsername: part.username } },
        },
  );
}
