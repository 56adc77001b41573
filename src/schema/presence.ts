/**
 * Who is online as GraphQL: the Presence type, `Query.online`,
 * `Thread.online` and `Subscription.presence`. Presence is ephemeral
 * (src/presence): counted from live connections, never in the log.
 */
import { NotFoundError } from '../errors.ts';
import { validate } from '../input/limits.ts';
import type { PresenceSnapshot } from '../presence/presenceTypes.ts';
import { builder } from './builder.ts';
import { pageSize } from './connection.ts';
import { heldWhileOpen } from './presenceHold.ts';
import { orNotFound, Thread, User } from './refs.ts';

/** How many of the people `Presence.users` lists: by default, and at most. */
export const PRESENCE_USERS = { default: 50, max: 200 } as const;

const Presence = builder.objectRef<PresenceSnapshot>('Presence').implement({
  description: 'Who is online (in the whole server, or with one thread open) at one moment. One person with three tabs is one person and three connections.',
  fields: (t) => ({
    people: t.exposeInt('people', { description: 'Distinct signed-in users with at least one live connection (WebSocket or SSE), on any instance.' }),
    connections: t.exposeInt('connections', { description: 'Live connections, signed in or anonymous (anonymous ones are connections, not people).' }),
    users: t.field({
      type: [User],
      description: `The people, most connections first (then by id): at most ${PRESENCE_USERS.max} (BAD_USER_INPUT beyond).`,
      args: { first: t.arg.int({ defaultValue: PRESENCE_USERS.default, description: `How many (0–${PRESENCE_USERS.max}); default ${PRESENCE_USERS.default}.` }) },
      complexity: (args) => ({ field: 1, multiplier: args.first ?? PRESENCE_USERS.default }),
      resolve: async (snapshot, args, ctx) => {
        const first = pageSize(args.first, 'first', PRESENCE_USERS.default, PRESENCE_USERS.max);
        const users = await Promise.all(snapshot.userIds.slice(0, first).map((id) => ctx.loaders.users(id)));
        // A user erased between the count and this read is left out, not an error.
        return users.filter((user) => user !== null);
      },
    }),
  }),
});

builder.queryField('online', (t) =>
  t.field({
    type: Presence,
    description: 'Who is online now, on every instance.',
    resolve: (_root, _args, ctx) => ctx.services.presence.snapshot(),
  }),
);

builder.objectField(Thread, 'online', (t) =>
  t.field({
    type: Presence,
    description: 'Who has this thread open now (a live `threadEvents` subscription), on every instance.',
    resolve: (thread, _args, ctx) => ctx.services.presence.snapshot(thread.id),
  }),
);

builder.subscriptionField('presence', (t) =>
  t.field({
    type: Presence,
    description:
      'Who is online (with `threadId`: who has that thread open): the value now, then each new value as people come and go, at most a few a second. `threadId` must be a UUID (BAD_USER_INPUT) of a thread that exists (NOT_FOUND).',
    args: { threadId: t.arg.id({ description: 'Only the people with this thread open (default: the whole server).' }) },
    subscribe: async (_root, args, ctx) => {
      let threadId: string | undefined;
      if (args.threadId != null) {
        threadId = validate.uuid(String(args.threadId), 'threadId');
        orNotFound(await ctx.loaders.threads(threadId), 'thread', threadId);
      }
      return heldWhileOpen(ctx, ctx.services.presence.watch(threadId));
    },
    resolve: (snapshot) => snapshot,
  }),
);
