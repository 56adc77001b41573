/** Mentions as GraphQL: `Message.mentions` (one read per page of messages) and `Query.mentions`, the viewer's, newest first. */
import { PAGE_SIZES } from '../input/limits.ts';
import { mentionedUserIds, mentioningMessageIds } from '../projections/mentionsQueries.ts';
import { messagesByIds } from '../projections/messagesQueries.ts';
import { builder } from './builder.ts';
import { connectionOf, decodeCursor, pageSize } from './connection.ts';
import { createLoader, perContext } from './loader.ts';
import { Message, orNotFound, User } from './refs.ts';
import { MessageConnection } from './thread.ts';
import { requireViewer } from './viewer.ts';

const MENTIONS = PAGE_SIZES.messages;
/** Most messages mention a few people at most: a page is priced at that, as reactions are. */
const PRICED_MENTIONS = 3;

/** One loader per context (a request; fan-out makes one per delivery): a page of messages costs one read. */
const mentionsLoader = perContext((ctx) => createLoader(async (ids) => [...(await mentionedUserIds(ctx.services.db, ids))].map(([id, userIds]) => ({ id, userIds }))));

builder.objectField(Message, 'mentions', (t) =>
  t.field({
    type: [User],
    description:
      'The users its text mentions with `@username` (any case), in username order: only users registered before the text was written, not inside `code` or a fenced code block, not in an email address. An edit derives them again; empty once deleted.',
    complexity: { field: 1, multiplier: PRICED_MENTIONS },
    resolve: async (message, _args, ctx) => {
      if (message.deletedAt !== null) return [];
      const ids = (await mentionsLoader(ctx)(message.id))?.userIds ?? [];
      const users = await Promise.all(ids.map(async (id) => orNotFound(await ctx.loaders.users(id), 'user', id)));
      return users.sort((a, b) => a.username.localeCompare(b.username));
    },
  }),
);

builder.queryField('mentions', (t) =>
  t.field({
    type: MessageConnection,
    description: `The messages that mention the viewer, newest first; a deleted one is no longer listed. Pages forward with \`first\` and \`after\` (the page's \`endCursor\`). Needs a token: UNAUTHENTICATED without one (there is no viewer to be mentioned).`,
    complexity: (args) => ({ field: 1, multiplier: args.first ?? MENTIONS.default }),
    args: {
      first: t.arg.int({ description: `How many (0–${MENTIONS.max}); default ${MENTIONS.default}.` }),
      after: t.arg.string({ description: 'A cursor: the mentions after it in this order (older ones).' }),
    },
    resolve: async (_root, args, ctx) => {
      const viewer = await requireViewer(ctx);
      const n = pageSize(args.first, 'first', MENTIONS.default, MENTIONS.max);
      const before = decodeCursor(args.after, 'after');
      const ids = await mentioningMessageIds(ctx.services.db, viewer.id, before, n + 1);
      const byId = new Map((await messagesByIds(ctx.services.db, ids.slice(0, n))).map((m) => [m.id, m]));
      // Deleted between the two reads: left out, as it would have been a moment later.
      const page = ids.slice(0, n).flatMap((id) => byId.get(id) ?? []).filter((m) => m.deletedAt === null);
      return connectionOf(page, { hasNextPage: ids.length > n, hasPreviousPage: false });
    },
  }),
);
