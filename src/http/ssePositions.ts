/**
 * Log positions on an SSE stream. Each event a subscription delivers over
 * SSE carries its log position as the SSE `id`; a client that reconnects
 * sends the last one back as `Last-Event-ID` (a browser's EventSource does
 * so by itself) and the stream resumes after it exactly as `after` would:
 * no gap, no duplicate.
 *
 * Subscriptions read the log through `services.feed.subscribe(after)`. An
 * SSE subscription's context gets a feed that starts after `Last-Event-ID`
 * when that is later than `after`, and that notes the position of each event
 * it hands out; the stream writer (sseStream.ts) takes that position as the
 * id of the result it writes next. The executor turns one event into one
 * result and asks for the next event only once that result is taken, so the
 * position noted is always the one of the result being written. The client's
 * selection plays no part: an event has its id even when `position` is not
 * selected.
 */
import { GraphQLError } from 'graphql';
import type { FeedFilter, FeedSubscription, LogFeed } from '../events/logFeed.ts';
import type { StoredEvent } from '../events/types.ts';
import { parsePosition } from '../schema/scalars.ts';

export const LAST_EVENT_ID = 'last-event-id';

/** One SSE subscription's positions: where it resumes, and the event each result comes from. */
export class StreamPositions {
  private untaken: number | undefined;

  constructor(readonly lastEventId: number | undefined) {}

  /** Where the subscription starts: after `after` or after `Last-Event-ID`, whichever is later. */
  resumeAfter(after: number | undefined): number | undefined {
    if (this.lastEventId === undefined) return after;
    return after === undefined ? this.lastEventId : Math.max(after, this.lastEventId);
  }

  /** The feed handed out the event at `position` (undefined: something without one, which gets no id). */
  handedOut(position: number | undefined): void {
    this.untaken = position;
  }

  /** The position of the event the result about to be written comes from; once (an error result has none). */
  take(): number | undefined {
    const position = this.untaken;
    this.untaken = undefined;
    return position;
  }
}

/** `Last-Event-ID` as a position: undefined when absent or empty, a BAD_USER_INPUT error when it is not a position. */
export function parseLastEventId(header: string | null): number | undefined | GraphQLError {
  if (header === null || header === '') return undefined;
  try {
    return parsePosition(header);
  } catch {
    return new GraphQLError('Last-Event-ID must be the id of an event this stream sent: a log position, a non-negative integer such as "42"', {
      extensions: { code: 'BAD_USER_INPUT', header: 'Last-Event-ID' },
    });
  }
}

/** `feed`, with `subscribe` resuming after `Last-Event-ID` and noting each event it hands out in `positions`. */
export function positionNotingFeed(feed: LogFeed, positions: StreamPositions): LogFeed {
  const subscribe = (after?: number, filter?: FeedFilter): FeedSubscription => {
    const subscription = feed.subscribe(positions.resumeAfter(after), filter);
    // A side value (a bot's draft) has no position: the result written for it carries no id.
    subscription.onHandOut = (position) => positions.handedOut(position);
    return subscription;
  };
  return new Proxy(feed, {
    get(target, property) {
      if (property === 'subscribe') return subscribe;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
