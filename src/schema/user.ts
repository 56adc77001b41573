/** User, its role, suspension and avatar, and `me`. */
import { LIMITS, range } from '../input/limits.ts';
import { isModerator, isSuspended } from '../modules/permissions.ts';
import type { Role } from '../modules/userRoleChanged.ts';
import { UNTIL_FURTHER_NOTICE } from '../projections/usersQueries.ts';
import { avatarPath } from '../attachments/fileRoute.ts';
import { builder } from './builder.ts';
import { Node } from './node.ts';
import { orNotFound, User } from './refs.ts';
import { standingOf, viewerRole } from './viewer.ts';

export const RoleEnum = builder.enumType('Role', {
  description: 'What a user may do beyond writing: moderators lock threads, suspend members and delete any message; admins also change roles.',
  values: {
    MEMBER: { description: 'Reads and writes (everyone who signs up, but the first account of a store).' },
    MODERATOR: { description: 'A member who may also delete any message, lock and unlock threads, and suspend members.' },
    ADMIN: { description: 'A moderator who may also change roles and suspend moderators. The first account registered on an empty store is one.' },
  } satisfies Record<Role, { description: string }>,
});

User.implement({
  description: 'A registered person, or a bot an operator added (`isBot`).',
  interfaces: [Node],
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable, globally unique id (a UUID): `node(id:)` finds the user by it.' }),
    username: t.exposeString('username', { description: `Unique handle: ${range(LIMITS.username)} of a-z, 0-9, _.` }),
    displayName: t.exposeString('displayName', { description: 'Name shown beside messages.' }),
    registeredAt: t.field({ type: 'DateTime', description: 'When the account was created.', resolve: (u) => u.registeredAt }),
    avatarUrl: t.string({
      nullable: true,
      description: [
        'The picture they chose (setAvatar), a path on this server: `/files/<avatar id>/avatar`, a WebP within 480×480 that changes URL with every change.',
        'null when they have none (clients draw one, e.g. initials on a colour from the id).',
      ].join(' '),
      resolve: async (u, _args, ctx) => {
        const avatar = (await ctx.loaders.avatars(u.id))?.avatar;
        return avatar ? avatarPath(avatar.id) : null;
      },
    }),
    role: t.field({
      type: RoleEnum,
      description: 'Their role now.',
      resolve: async (u, _args, ctx) => orNotFound(await standingOf(ctx, u.id), 'user', u.id).role,
    }),
    suspendedUntil: t.field({
      type: 'DateTime',
      nullable: true,
      description: [
        'When their suspension from writing ends; null when they are not suspended.',
        `Until further notice reads as ${new Date(UNTIL_FURTHER_NOTICE).toISOString()}.`,
        'Shown to the user themself and to moderators and admins; null for everyone else.',
        '(The suspensions themselves are UserSuspended events in the log.)',
      ].join(' '),
      resolve: async (u, _args, ctx) => {
        const viewer = await ctx.viewer();
        if (!viewer) return null;
        if (viewer.id !== u.id) {
          const role = await viewerRole(ctx);
          if (role === null || !isModerator(role)) return null;
        }
        const until = (await standingOf(ctx, u.id))?.suspendedUntil ?? null;
        return isSuspended(until, ctx.services.clock()) ? until : null;
      },
    }),
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
