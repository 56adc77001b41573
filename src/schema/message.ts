/** Message, its format and its revisions (`postMessage`, `editMessage`, `deleteMessage`: src/modules/message*.graphql.ts). */
import { LIMITS, range } from '../input/limits.ts';
import type { MessageFormat as StoredFormat } from '../modules/messagePosted.ts';
import type { MessageRevision as Revision } from '../projections/messagesProjection.ts';
import { MAX_REVISIONS, revisionsByMessageIds } from '../projections/revisionsQueries.ts';
import { builder } from './builder.ts';
import { createLoader, perContext } from './loader.ts';
import { Node } from './node.ts';
import { orNotFound, Message, Thread, User } from './refs.ts';

/** The formats messages are stored with; the schema names each in capitals. */
const STORED_FORMATS = ['plain', 'markdown'] as const satisfies readonly StoredFormat[];

export const MessageFormat = builder.enumType('MessageFormat', {
  description: 'How a message body is to be rendered. The server stores the text as written (with `:shortcode:`s turned into emoji) and never renders it.',
  values: {
    MARKDOWN: {
      value: 'markdown',
      description:
        'A chat subset of CommonMark and GitHub Flavored Markdown: emphasis, strong, strikethrough, code spans, fenced code blocks, block quotes, lists, links and autolinks (http, https, mailto). Raw HTML is shown as text, never rendered; no images (attachments only); headings no bigger than body text. Mentions and shortcodes inside code are left as typed. New messages are MARKDOWN unless asked.',
    },
    PLAIN: { value: 'plain', description: 'Plain text: show it as typed, with no markup (links may be made clickable). Every message posted before MARKDOWN existed is PLAIN.' },
  } as const satisfies Record<string, { value: StoredFormat; description: string }>,
});

/** A format the read model holds that this schema does not name would be a bug, not bad input. */
function messageFormat(stored: string): StoredFormat {
  const known = STORED_FORMATS.find((format) => format === stored);
  if (known === undefined) throw new Error(`Unknown message format ${JSON.stringify(stored)}`);
  return known;
}

const MessageRevision = builder.objectRef<Revision>('MessageRevision').implement({
  description: 'One earlier text of a message.',
  fields: (t) => ({
    body: t.exposeString('body', { description: 'The text as it was.' }),
    editedAt: t.field({ type: 'DateTime', description: 'When this version was written: when the message was posted, for the original.', resolve: (r) => r.editedAt }),
  }),
});

/** One revisions loader per request (or subscription): every message's revisions asked in one tick cost one read of the log. */
const revisionsLoader = perContext((ctx) => createLoader(async (ids) => [...(await revisionsByMessageIds(ctx.services.db, ids))].map(([id, revisions]) => ({ id, revisions }))));

Message.implement({
  description: 'A message posted in a thread.',
  interfaces: [Node],
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable, globally unique id (a UUID): `node(id:)` finds the message by it.' }),
    thread: t.field({
      type: Thread,
      description: 'The thread it was posted in.',
      resolve: async (m, _args, ctx) => orNotFound(await ctx.loaders.threads(m.threadId), 'thread', m.threadId),
    }),
    author: t.field({
      type: User,
      description: 'Who posted it.',
      resolve: async (m, _args, ctx) => orNotFound(await ctx.loaders.users(m.authorId), 'user', m.authorId),
    }),
    body: t.exposeString('body', {
      description: `The text, ${range(LIMITS.body)} characters, as written with \`:shortcode:\`s turned into emoji; render it as \`format\` says. Empty when the message is attachments only, and once deleted (\`deletedAt\`): its text is erased.`,
    }),
    format: t.field({ type: MessageFormat, description: 'How to render `body`: MARKDOWN (the default for new messages) or PLAIN (every message posted before MARKDOWN existed, and any posted asking for it). An edit keeps it.', resolve: (m) => messageFormat(m.format) }),
    postedAt: t.field({ type: 'DateTime', description: 'When it was posted.', resolve: (m) => m.postedAt }),
    editedAt: t.field({ type: 'DateTime', nullable: true, description: 'When its author last replaced its text; null if never.', resolve: (m) => m.editedAt }),
    deletedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description:
        'When it was deleted; null while it stands. A deleted message is a tombstone: it keeps its place, id, author and replies, with an empty `body` and no revisions or reactions. In `thread(asOf:)` it is a tombstone at every position, also before its deletion (its text is gone from the log), with this time.',
      resolve: (m) => m.deletedAt,
    }),
    revisions: t.field({
      type: [MessageRevision],
      // As long as it can be: each revision's body weighs as a message's does (schema/builder.ts).
      complexity: { field: 1, multiplier: MAX_REVISIONS },
      description: `The texts it had before its current one, oldest first: the original (\`editedAt\` = when it was posted), then each edit's text but the latest, which is \`body\`. At most the last ${MAX_REVISIONS}. Empty when never edited, and when deleted (the deletion erased them from the log). Read from the log.`,
      resolve: async (m, _args, ctx) => {
        if (m.revisions) return m.revisions;
        // Never edited, or deleted: nothing to read.
        if (m.editedAt === null || m.deletedAt !== null) return [];
        return (await revisionsLoader(ctx)(m.id))?.revisions ?? [];
      },
    }),
    position: t.field({ type: 'Position', description: 'Its position in the log.', resolve: (m) => m.position }),
    replyTo: t.field({
      type: Message,
      nullable: true,
      description: 'The message it answers, if any.',
      resolve: (m, _args, ctx) => (m.replyToId ? ctx.loaders.messages(m.replyToId) : null),
    }),
  }),
});
