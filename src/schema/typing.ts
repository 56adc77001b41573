/**
 * Who is typing as GraphQL: `setTyping` and `Subscription.typing`. Typing
 * is ephemeral (src/presence/typingService.ts): a state ends after about
 * 6 s unless renewed, and when its user posts in the thread.
 */
import { validate } from '../input/limits.ts';
import { assertMayWrite } from '../modules/permissions.ts';
import { log } from '../observability/log.ts';
import type { TypingSnapshot } from '../presence/presenceTypes.ts';
import { TYPING_EXPIRES_MS } from '../presence/typingService.ts';
import { builder } from './builder.ts';
import { heldWhileOpen } from './presenceHold.ts';
import { orNotFound, User } from './refs.ts';
import { requireActor } from './viewer.ts';

const TypingUpdate = builder.objectRef<TypingSnapshot>('TypingUpdate').implement({
  description: 'Who is typing in a thread now.',
  fields: (t) => ({
    threadId: t.exposeID('threadId', { description: 'The thread.' }),
    users: t.field({
      type: [User],
      description: 'Who is typing, in the order they started, without the viewer.',
      // At most everyone in a thread; in practice a handful.
      complexity: { field: 1, multiplier: 10 },
      resolve: async (update, _args, ctx) => {
        const viewer = await ctx.viewer();
        const ids = update.userIds.filter((id) => id !== viewer?.id);
        const users = await Promise.all(ids.map((id) => ctx.loaders.users(id)));
        return users.filter((user) => user !== null);
      },
    }),
  }),
});

const SetTypingInput = builder.inputType('SetTypingInput', {
  description: 'A typing notice.',
  fields: (t) => ({
    threadId: t.id({ required: true, description: 'The thread typed in (a UUID; BAD_USER_INPUT otherwise).' }),
    typing: t.boolean({ required: true, description: 'True while typing (send it again every few seconds to stay typing), false when stopped.' }),
  }),
});

builder.mutationField('setTyping', (t) =>
  t.field({
    type: 'Boolean',
    description: `Says the viewer is typing in a thread, or stopped. The state ends by itself about ${TYPING_EXPIRES_MS / 1000} s after the last notice, and when the viewer posts there. Needs a token (UNAUTHENTICATED); NOT_FOUND for an unknown thread; FORBIDDEN while suspended or in a locked thread; counts toward the typing rate limit (RATE_LIMITED). Answers true. Never written to the log.`,
    args: { input: t.arg({ type: SetTypingInput, required: true, description: 'The thread and whether typing.' }) },
    resolve: async (_root, { input }, ctx) => {
      const actor = await requireActor(ctx);
      const threadId = validate.uuid(String(input.threadId), 'threadId');
      await ctx.services.rateLimits.consume('typingPerUser', actor.userId);
      orNotFound(await ctx.loaders.threads(threadId), 'thread', threadId);
      await assertMayWrite(ctx.services, actor, { threadId });
      ctx.services.typing.set(threadId, actor.userId, input.typing);
      log.debug({ requestId: ctx.correlationId, threadId, userId: actor.userId, typing: input.typing }, 'typing notice');
      return true;
    },
  }),
);

builder.subscriptionField('typing', (t) =>
  t.field({
    type: TypingUpdate,
    description: 'Who is typing in a thread (without the viewer): the value now, then each change. `threadId` must be a UUID (BAD_USER_INPUT) of a thread that exists (NOT_FOUND).',
    extensions: { viewerScoped: true },
    args: { threadId: t.arg.id({ required: true, description: 'The thread.' }) },
    subscribe: async (_root, args, ctx) => {
      const threadId = validate.uuid(String(args.threadId), 'threadId');
      orNotFound(await ctx.loaders.threads(threadId), 'thread', threadId);
      return heldWhileOpen(ctx, ctx.services.typing.watch(threadId));
    },
    resolve: (update) => update,
  }),
);
