/**
 * A MARKDOWN message as React elements: CommonMark plus GFM (strikethrough,
 * tables, task lists, autolinks) through react-markdown, which builds
 * elements and never sets HTML (no rehype-raw). Raw HTML and images show as
 * their text, mentions are marked (remarkChat); links keep only http, https
 * and mailto targets (safeHref) and open in a new tab without the opener or
 * the referrer; headings are bold paragraphs, no bigger than the rest of the
 * message; a code block has a copy button (CodeBlock).
 */
import { memo, type ComponentProps, type JSX } from 'react';
import type { ElementContent } from 'hast';
import Markdown, { type Components, type ExtraProps } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { CodeBlock } from './CodeBlock.tsx';
import { remarkChat } from './remarkChat.ts';
import { safeHref } from './safeUrl.ts';

type Props<Tag extends keyof JSX.IntrinsicElements> = ComponentProps<Tag> & ExtraProps;

function Heading({ children }: Props<'h1'>) {
  return (
    <p className="md-heading">
      <strong>{children}</strong>
    </p>
  );
}

function Link({ href, children }: Props<'a'>) {
  const safe = href === undefined ? undefined : safeHref(href);
  if (safe === undefined) return <span className="md-link-text">{children}</span>;
  return (
    <a href={safe} target="_blank" rel="noopener noreferrer nofollow">
      {children}
    </a>
  );
}

function Pre({ children, node }: Props<'pre'>) {
  return <CodeBlock code={textOf(node)}>{children}</CodeBlock>;
}

function Table({ children }: Props<'table'>) {
  return (
    <div className="md-table">
      <table>{children}</table>
    </div>
  );
}

const components: Components = { h1: Heading, h2: Heading, h3: Heading, h4: Heading, h5: Heading, h6: Heading, a: Link, pre: Pre, table: Table };

/** Every link attribute goes through safeHref in Link; anything else with a URL (img is gone already) gets none. */
function keepHref(url: string, key: string): string | undefined {
  return key === 'href' ? url : undefined;
}

export interface MarkdownTextProps {
  readonly body: string;
  readonly mentions: readonly string[];
  readonly meUsername: string;
}

export const MarkdownText = memo(function MarkdownText({ body, mentions, meUsername }: MarkdownTextProps) {
  return (
    <Markdown remarkPlugins={[remarkGfm, [remarkChat, { mentions, me: meUsername.toLowerCase() }]]} components={components} urlTransform={keepHref}>
      {body}
    </Markdown>
  );
});

/** The text under a hast node, as the code block's copy button copies it. */
function textOf(node: ExtraProps['node']): string {
  const walk = (n: ElementContent): string => (n.type === 'text' ? n.value : n.type === 'element' ? n.children.map(walk).join('') : '');
  return (node?.children ?? []).map(walk).join('').replace(/\n$/, '');
}
