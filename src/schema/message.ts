/** Message and its format (`postMessage`: src/modules/messagePosted.graphql.ts). */
import { LIMITS, range } from '../input/limits.ts';
import { builder } from './builder.ts';
import { Node } from './node.ts';
import { orNotFound, Message, Thread, User } from './refs.ts';

/** The formats messages are stored with; the schema names each in capitals. */
const STORED_FORMATS = ['plain'] as const;
type StoredFormat = (typeof STORED_FORMATS)[number];

const MessageFormat = builder.enumType('MessageFormat', {
  description: 'How a message body is to be rendered.',
  values: {
    PLAIN: { value: 'plain', description: 'Plain text: show it as typed, with no markup (links may be made clickable).' },
  } as const satisfies Record<string, { value: StoredFormat; description: string }>,
});

/** A format the read model holds that this schema does not name would be a bug, not bad input. */
function messageFormat(stored: string): StoredFormat {
  const known = STORED_FORMATS.find((format) => format === stored);
  if (known === undefined) throw new Error(`Unknown message format ${JSON.stringify(stored)}`);
  return known;
}

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
    body: t.exposeString('body', { description: `The text, ${range(LIMITS.body)} characters; render it as \`format\` says.` }),
    format: t.field({ type: MessageFormat, description: 'How to render `body`: PLAIN for every message so far.', resolve: (m) => messageFormat(m.format) }),
    postedAt: t.field({ type: 'DateTime', description: 'When it was posted.', resolve: (m) => m.postedAt }),
    position: t.field({ type: 'Position', description: 'Its position in the log.', resolve: (m) => m.position }),
    replyTo: t.field({
      type: Message,
      nullable: true,
      description: 'The message it answers, if any.',
      resolve: (m, _args, ctx) => (m.replyToId ? ctx.loaders.messages(m.replyToId) : null),
    }),
  }),
});
