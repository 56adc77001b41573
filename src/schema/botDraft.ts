/**
 * BotDraft: a bot's reply while the model writes it, delivered on
 * `threadEvents` between the thread's events (src/bots/botDrafts.ts). Never
 * in the log: it has no position, a resumed subscription does not replay
 * it, and the finished reply arrives as the bot's MessagePosted.
 */
import type { BotDraftValue } from '../bots/types.ts';
import { builder } from './builder.ts';
import { User } from './refs.ts';

export const BotDraft = builder.objectRef<BotDraftValue>('BotDraft').implement({
  description:
    "A bot's reply as the model writes it: on `threadEvents` only, never in the log (no position; a resumed subscription does not replay drafts). Each draft holds the whole text so far. The bot's MessagePosted with `replyTo` = `replyToId` replaces it; `ended: true` without one means the bot gave up.",
  fields: (t) => ({
    threadId: t.exposeID('threadId', { description: 'The thread.' }),
    bot: t.field({
      type: User,
      description: 'The bot writing.',
      resolve: async (draft, _args, ctx) => {
        const bot = await ctx.loaders.users(draft.botId);
        if (!bot) throw new Error(`The draft's bot ${draft.botId} is not in the read model`);
        return bot;
      },
    }),
    text: t.exposeString('text', { description: 'The reply so far (markdown), whole: not a piece to append.' }),
    replyToId: t.exposeID('replyToId', { description: 'The message it answers; the finished reply replies to it.' }),
    ended: t.exposeBoolean('ended', { description: 'The bot stopped writing: its reply follows in the log, or (it gave up) nothing does.' }),
  }),
});
