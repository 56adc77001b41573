/**
 * Global object identification (the Relay and GraphQL Global Object
 * Identification specs): `Node`, and `node(id:)` / `nodes(ids:)`. Ids stay
 * the UUIDs they always were, unique across users, threads and messages, so
 * every id a client already holds works here and every id it gets here works
 * everywhere else. Which type an id belongs to is looked up, not encoded in
 * the id: each id is asked of the user, thread and message loaders at once,
 * so one request's lookups cost at most one query per table.
 */
import { cappedList, MAX_LIST_ARGUMENT } from '../protection/operationLimits.ts';
import { validate } from '../input/limits.ts';
import type { MessageRow } from '../projections/messagesProjection.ts';
import type { UserRow } from '../projections/usersProjection.ts';
import { builder } from './builder.ts';
import type { Context } from './context.ts';
import type { ThreadModel } from './refs.ts';

/**
 * What a Node is backed by: a read-model row (`id`), or a stored event,
 * whose id is its `eventId` (schema/event.ts makes Event a Node).
 */
export type NodeShape = { readonly id: string } | { readonly eventId: string };

/** What `node(id:)` can return: the types whose rows the loaders find by id. */
type FoundNode = UserRow | ThreadModel | MessageRow;

export const Node = builder.interfaceRef<NodeShape>('Node').implement({
  description:
    'An object with a globally unique id: `node(id:)` fetches it again by that id, and normalized caches (Apollo Client, urql graphcache, Relay) key it by `__typename` and `id` without configuration.',
  resolveType: (node) => typeNameOf(node as FoundNode),
  fields: (t) => ({
    id: t.id({
      description: 'Globally unique and stable (a UUID): the same id in every query, subscription and argument.',
      resolve: (node) => ('id' in node ? node.id : node.eventId),
    }),
  }),
});

/** Rows of the three tables have distinct shapes; the loader that found one is not kept. */
function typeNameOf(node: FoundNode): 'User' | 'Thread' | 'Message' {
  if ('username' in node) return 'User';
  if ('authorId' in node) return 'Message';
  if ('messageCount' in node) return 'Thread';
  // Only node/nodes return a Node, and they find nothing else (an event reaching here would be a bug).
  throw new Error('A Node that is not a User, Thread or Message');
}

/** The object with this id, or null: asked of all three loaders in the same tick, so they batch. */
async function findNode(ctx: Context, id: string): Promise<FoundNode | null> {
  const [user, thread, message] = await Promise.all([ctx.loaders.users(id), ctx.loaders.threads(id), ctx.loaders.messages(id)]);
  return user ?? thread ?? message;
}

builder.queryFields((t) => ({
  node: t.field({
    type: Node,
    nullable: true,
    description:
      'The User, Thread or Message with this id, or null when there is none. BAD_USER_INPUT when the id is not a UUID. Events have an `id` too (their `eventId`), but this field does not look them up: read them with `events`.',
    args: { id: t.arg.id({ required: true, description: 'The id of a User, Thread or Message.' }) },
    resolve: (_root, args, ctx) => findNode(ctx, validate.uuid(String(args.id), 'id')),
  }),
  nodes: t.field({
    type: [Node],
    nullable: { list: false, items: true },
    description: `The objects with these ids, in the order asked, null where there is none (as \`node\` does for one id). At most ${MAX_LIST_ARGUMENT} ids; BAD_USER_INPUT when one is not a UUID. All of them cost one query per table.`,
    complexity: (args) => ({ field: 1, multiplier: Math.max(1, args.ids.length) }),
    args: { ids: t.arg.idList({ required: true, description: `The ids of Users, Threads or Messages, at most ${MAX_LIST_ARGUMENT}.` }) },
    resolve: (_root, args, ctx) => {
      const ids = cappedList(args.ids, 'ids').map((id, index) => validate.uuid(String(id), `ids[${index}]`));
      return Promise.all(ids.map((id) => findNode(ctx, id)));
    },
  }),
}));
