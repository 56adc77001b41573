/** User, and `me`. */
import { builder } from './builder.ts';
import { User } from './refs.ts';

User.implement({
  description: 'A registered person.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable id (a UUID).' }),
    username: t.exposeString('username', { description: 'Unique handle: 3–32 of a-z, 0-9, _.' }),
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
