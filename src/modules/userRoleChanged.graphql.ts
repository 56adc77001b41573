/** UserRoleChanged as GraphQL: the event type, and `setUserRole` (the Role enum and User.role: schema/user.ts). */
import { builder } from '../schema/builder.ts';
import { Event } from '../schema/eventRef.ts';
import { Node } from '../schema/node.ts';
import { orNotFound, User } from '../schema/refs.ts';
import { RoleEnum } from '../schema/user.ts';
import { requireActor } from '../schema/viewer.ts';
import type { Recorded } from './eventModule.ts';
import { setUserRole, userRoleChanged, type UserRoleChangedData } from './userRoleChanged.ts';

type UserRoleChangedEvent = Recorded<'UserRoleChanged', UserRoleChangedData>;

export const UserRoleChanged = builder.objectRef<UserRoleChangedEvent>(userRoleChanged.type).implement({
  description: 'A user was given another role, by an admin (`actor`) or by the operator with `thrds admin grant` (no actor; its correlationId starts with `cli:`).',
  interfaces: [Event, Node],
  isTypeOf: (event) => (event as UserRoleChangedEvent).type === userRoleChanged.type,
  fields: (t) => ({
    user: t.field({
      type: User,
      description: 'The user whose role changed.',
      resolve: async (event, _args, ctx) => orNotFound(await ctx.loaders.users(event.data.userId), 'user', event.data.userId),
    }),
    role: t.field({ type: RoleEnum, description: 'The role they were given.', resolve: (event) => event.data.role }),
    previousRole: t.field({ type: RoleEnum, description: 'The role they had before.', resolve: (event) => event.data.previousRole }),
  }),
});

const SetUserRoleInput = builder.inputType('SetUserRoleInput', {
  description: 'A user and the role to give them.',
  fields: (t) => ({
    userId: t.id({ required: true, description: 'The user (a UUID).' }),
    role: t.field({ type: RoleEnum, required: true, description: 'Their new role.' }),
  }),
});

builder.mutationField('setUserRole', (t) =>
  t.field({
    type: User,
    description: [
      'Gives a user another role, appending UserRoleChanged (nothing when they already have it). Needs a token.',
      'Admins only (FORBIDDEN otherwise, and for a suspended admin); the last admin cannot be demoted (FORBIDDEN: make another admin first).',
      'NOT_FOUND for an unknown user. Counts toward the moderation rate limit (THRDS_RATE_MODERATION_PER_USER).',
    ].join(' '),
    args: { input: t.arg({ type: SetUserRoleInput, required: true, description: 'The user and their new role.' }) },
    resolve: async (_root, { input }, ctx) => setUserRole(ctx.services, await requireActor(ctx), { userId: String(input.userId), role: input.role }),
  }),
);
