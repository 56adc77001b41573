/**
 * A subscription as a presence: while it streams, its connection is live,
 * and a `threadEvents` subscription has its thread open. A WebSocket is one
 * connection for all its subscriptions (held by realtime/connection.ts from
 * its acknowledgement to its close); an SSE stream is a connection of its
 * own, from its subscribe to its end. Every subscription field's `subscribe`
 * hands its source through here.
 */
import { FeedSubscription } from '../events/logFeed.ts';
import type { Context } from './context.ts';

/** `source`, holding the presence it stands for until it ends (`return()`). */
export async function heldWhileOpen<Source extends AsyncIterator<unknown>>(ctx: Context, source: Source, threadId?: string): Promise<Source> {
  const release = await presenceOf(ctx, threadId);
  if (source instanceof FeedSubscription) {
    // The WebSocket gateway detaches the iterator once the subscription joins its group; `end` runs when it stops.
    source.onEnd(release);
    return source;
  }
  return endingWith(source, release);
}

async function presenceOf(ctx: Context, threadId: string | undefined): Promise<() => void> {
  if (ctx.presence) return threadId === undefined ? () => undefined : ctx.presence.open(threadId);
  const viewer = await ctx.viewer();
  const connection = ctx.services.presence.connect(viewer?.id ?? null);
  const leave = threadId === undefined ? () => undefined : connection.open(threadId);
  return () => {
    leave();
    connection.close();
  };
}

/** `source`, running `release` once when it is returned or runs out (the same object: callers may test it with instanceof). */
function endingWith<Source extends AsyncIterator<unknown>>(source: Source, release: () => void): Source {
  let released = false;
  const once = () => {
    if (released) return;
    released = true;
    release();
  };
  const next = source.next.bind(source);
  const ret = source.return?.bind(source);
  const thrown = source.throw?.bind(source);
  return Object.assign(source, {
    async next(...args: [] | [unknown]) {
      try {
        const result = await next(...args);
        if (result.done) once();
        return result;
      } catch (error) {
        once();
        throw error;
      }
    },
    async return(value?: unknown) {
      once();
      return ret ? ret(value) : { done: true as const, value: undefined };
    },
    ...(thrown
      ? {
          async throw(error?: unknown) {
            once();
            return thrown(error);
          },
        }
      : {}),
  });
}
