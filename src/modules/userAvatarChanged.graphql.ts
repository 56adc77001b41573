/** UserAvatarChanged as GraphQL: the event type, `setAvatar` and `clearAvatar` (User.avatarUrl: schema/user.ts). */
import { avatarPath } from '../attachments/fileRoute.ts';
import { builder } from '../schema/builder.ts';
import { Event } from '../schema/eventRef.ts';
import { Node } from '../schema/node.ts';
import { orNotFound, User } from '../schema/refs.ts';
import { requireActor } from '../schema/viewer.ts';
import type { Recorded } from './eventModule.ts';
import { avatarRowOf, clearAvatar, setAvatar, userAvatarChanged, type UserAvatarChangedData } from './userAvatarChanged.ts';

type UserAvatarChangedEvent = Recorded<'UserAvatarChanged', UserAvatarChangedData>;

export const UserAvatarChanged = builder.objectRef<UserAvatarChangedEvent>(userAvatarChanged.type).implement({
  description: 'A user set their avatar from one of their image uploads, or cleared it. `actor` is the user.',
  interfaces: [Event, Node],
  isTypeOf: (event) => (event as UserAvatarChangedEvent).type === userAvatarChanged.type,
  fields: (t) => ({
    user: t.field({
      type: User,
      description: 'The user, as they are now.',
      resolve: async (event, _args, ctx) => orNotFound(await ctx.loaders.users(event.data.userId), 'user', event.data.userId),
    }),
    avatarUrl: t.string({
      nullable: true,
      description: 'The avatar this change set (served while it is still theirs); null when it cleared one, or once a later change replaced it (its picture is erased from the log).',
      resolve: (event) => {
        const avatar = avatarRowOf(event.data);
        return avatar ? avatarPath(avatar.id) : null;
      },
    }),
  }),
});

const SetAvatarInput = builder.inputType('SetAvatarInput', {
  description: 'The upload to make your avatar.',
  fields: (t) => ({
    attachmentId: t.id({ required: true, description: 'One of your own image uploads (uploadAttachment), not yet posted.' }),
  }),
});

builder.mutationField('setAvatar', (t) =>
  t.field({
    type: User,
    description: [
      'Makes one of your image uploads your avatar (its thumbnail, a WebP within 480×480: User.avatarUrl), appending UserAvatarChanged; the avatar it replaces is erased from the log and its bytes removed.',
      'The upload is used up: it cannot be posted afterwards. Needs a token; not while suspended (FORBIDDEN).',
      'NOT_FOUND for an id that is not an upload of yours; BAD_USER_INPUT for a malformed id, an upload already posted (reason ALREADY_POSTED) or one that is not an image (reason NOT_AN_IMAGE).',
      'Counts toward THRDS_RATE_AVATAR_CHANGES_PER_USER (20 an hour): RATE_LIMITED. Returns you, with the new avatarUrl.',
    ].join(' '),
    args: { input: t.arg({ type: SetAvatarInput, required: true, description: 'The upload.' }) },
    resolve: async (_root, { input }, ctx) => setAvatar(ctx.services, await requireActor(ctx), { attachmentId: String(input.attachmentId) }),
  }),
);

builder.mutationField('clearAvatar', (t) =>
  t.field({
    type: User,
    description: [
      'Removes your avatar (clients draw initials again), appending UserAvatarChanged with none; the avatar is erased from the log and its bytes removed.',
      'Nothing is appended when you have none. Needs a token; allowed while suspended. Counts toward THRDS_RATE_AVATAR_CHANGES_PER_USER: RATE_LIMITED. Returns you.',
    ].join(' '),
    resolve: async (_root, _args, ctx) => clearAvatar(ctx.services, await requireActor(ctx)),
  }),
);
