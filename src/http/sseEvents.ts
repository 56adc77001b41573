/**
 * The yoga plugin behind GraphQL over SSE: each subscription event goes out
 * with its log position as the SSE `id`, `Last-Event-ID` resumes a stream
 * like `after` (ssePositions.ts), and an operation refused at subscribe time
 * is a 200 stream holding its errors (sseStream.ts). yoga's own hooks are
 * used the way they are meant: `onSubscribe` for the request's context,
 * `onResultProcess` to answer with our stream wherever yoga would answer
 * with its own.
 */
import type { Plugin } from 'graphql-yoga';
import type { Services } from '../schema/context.ts';
import { LAST_EVENT_ID, parseLastEventId, positionNotingFeed, StreamPositions } from './ssePositions.ts';
import { yogaChoosesSse } from './sseMediaType.ts';
import { eventStream } from './sseStream.ts';

interface SubscriptionContext {
  readonly request?: Request;
  readonly services?: Services;
}

export function useSseEvents(): Plugin {
  const subscriptions = new WeakSet<Request>();
  const streams = new WeakMap<Request, StreamPositions>();
  return {
    onSubscribe({ context, extendContext, setResultAndStopExecution }) {
      const { request, services } = context as SubscriptionContext;
      if (request) subscriptions.add(request);
      if (!request || !services || !(request.headers.get('accept') ?? '').toLowerCase().includes('text/event-stream')) return;
      const lastEventId = parseLastEventId(request.headers.get(LAST_EVENT_ID));
      if (lastEventId instanceof Error) {
        setResultAndStopExecution({ errors: [lastEventId] });
        return;
      }
      const positions = new StreamPositions(lastEventId);
      streams.set(request, positions);
      extendContext({ services: { ...services, feed: positionNotingFeed(services.feed, positions) } } as Partial<typeof context>);
    },
    onResultProcess({ request, result, setResultProcessor }) {
      if (!yogaChoosesSse(request, result, subscriptions.has(request))) return;
      const positions = streams.get(request);
      setResultProcessor((processed, fetchAPI) => eventStream(processed, fetchAPI, () => positions?.take()), 'text/event-stream');
    },
  };
}
