/**
 * Whether yoga answers a request with an event stream: the same choice
 * yoga's result processors make (graphql-yoga's use-result-processor.ts),
 * so our stream (sseStream.ts) takes over exactly where yoga's would have
 * answered, and JSON and multipart answers stay yoga's.
 */
import { isAsyncIterable, type ResultProcessorInput } from './sseStream.ts';

/** True when the last of SSE, multipart (not for subscriptions) and JSON (not for a stream of results) that the Accept header allows is SSE. */
export function yogaChoosesSse(request: Request, result: ResultProcessorInput, subscription: boolean): boolean {
  const accepted = acceptedMediaTypes(request);
  const allows = (type: string) => accepted.some((asked) => matches(asked, type));
  if (!allows('text/event-stream')) return false;
  if (!subscription && allows('multipart/mixed')) return false;
  return isAsyncIterable(result) || !(allows('application/graphql-response+json') || allows('application/json'));
}

function acceptedMediaTypes(request: Request): string[] {
  const types: string[] = [];
  for (const accept of (request.headers.get('accept') ?? '*/*').replace(/\s/g, '').toLowerCase().split(',')) {
    const [type, ...parameters] = accept.split(';');
    // yoga answers only in UTF-8.
    const charset = parameters.find((parameter) => parameter.startsWith('charset=')) ?? 'charset=utf-8';
    if (type && charset === 'charset=utf-8') types.push(type);
  }
  return types;
}

function matches(asked: string, offered: string): boolean {
  const [askedType, askedSubtype] = asked.split('/');
  const [type, subtype] = offered.split('/');
  return (askedType === '*' || askedType === type) && (askedSubtype === '*' || askedSubtype === subtype);
}
