/** User, and `me`. */
import { LIMITS, range } from '../input/limits.ts';
import { builder } from './builder.ts';
import { Node } from './node.ts';
import { User } from './refs.ts';

User.implement({
  description: 'A registered person.',
  interfaces: [Node],
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable, globally unique id (a UUID): `node(id:)` finds the user by it.' }),
    username: t.exposeString('username', { description: `Unique handle: ${range(LIMITS.username)} of a-z, 0-9, _.` }),
    displayName: t.exposeString('displayName', { description: 'Name shown beside messages.' }),
    registeredAt: t.field({ type: 'DateTime', description: 'When the account was created.', resolve: (u) => u.registeredAt }),
  }),
});

builder.queryField('me', (t) =>
  t.field({
    type: User,
    nullable: true,
    description: 'The signed-in user, or null without a valid token.',
    resolve: (_root, _args, ctx) => ctx.viewer(),
  }),
);
