/** UserSuspended as GraphQL: the event type, and `suspendUser` (User.suspendedUntil: schema/user.ts). */
import { builder } from '../schema/builder.ts';
import { Event } from '../schema/eventRef.ts';
import { Node } from '../schema/node.ts';
import { orNotFound, User } from '../schema/refs.ts';
import { requireActor } from '../schema/viewer.ts';
import type { Recorded } from './eventModule.ts';
import { storedUntil, suspendUser, userSuspended, type UserSuspendedData } from './userSuspended.ts';

type UserSuspendedEvent = Recorded<'UserSuspended', UserSuspendedData>;

export const UserSuspended = builder.objectRef<UserSuspendedEvent>(userSuspended.type).implement({
  description: 'A user was suspended from writing, their suspension changed, or lifted (an end already past). `actor` is the moderator.',
  interfaces: [Event, Node],
  isTypeOf: (event) => (event as UserSuspendedEvent).type === userSuspended.type,
  fields: (t) => ({
    user: t.field({
      type: User,
      description: 'The user suspended.',
      resolve: async (event, _args, ctx) => orNotFound(await ctx.loaders.users(event.data.userId), 'user', event.data.userId),
    }),
    until: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the suspension ends, as the moderator set it; null: until further notice.',
      resolve: (event) => event.data.until,
    }),
    lifted: t.boolean({
      description: 'True when the end given was already past: this lifted the suspension.',
      resolve: (event) => storedUntil(event.data.until, event.recordedAt) === null,
    }),
  }),
});

const SuspendUserInput = builder.inputType('SuspendUserInput', {
  description: 'Who to suspend from writing, and until when.',
  fields: (t) => ({
    userId: t.id({ required: true, description: 'The user (a UUID).' }),
    until: t.field({
      type: 'DateTime',
      description: 'When the suspension ends (up to 9999-12-31T23:59:59.999Z). Omitted or null: until further notice. A time already past lifts a suspension.',
    }),
  }),
});

builder.mutationField('suspendUser', (t) =>
  t.field({
    type: User,
    description: [
      'Stops a user writing (posting, creating or renaming threads, reacting, editing, deleting) until a time, appending UserSuspended; reading still works.',
      'Nothing is appended when it changes nothing. Needs a token. Moderators may suspend members, admins moderators and members;',
      'nobody may suspend themselves or an admin (FORBIDDEN). NOT_FOUND for an unknown user. Counts toward the moderation rate limit (THRDS_RATE_MODERATION_PER_USER).',
    ].join(' '),
    args: { input: t.arg({ type: SuspendUserInput, required: true, description: 'The user and the end of their suspension.' }) },
    resolve: async (_root, { input }, ctx) => suspendUser(ctx.services, await requireActor(ctx), { userId: String(input.userId), until: input.until }),
  }),
);
