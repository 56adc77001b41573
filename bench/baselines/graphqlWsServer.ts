/**
 * Reference: a stock graphql-ws server (graphql-js executes the selection
 * set once per event per subscriber) fed by an in-memory pub/sub, with the
 * same subscription document and frames as Thrds. It shows what an
 * unoptimised GraphQL subscription server costs on this machine.
 */
import { randomUUID } from 'node:crypto';
import { buildSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { sendToParent } from '../support/childRuntime.ts';
import { threadEventPayload, type ThreadEventPayload } from '../support/broadcastFrame.ts';
import { publishServer } from '../support/publishEndpoint.ts';
import '../support/serverProbe.ts';

const schema = buildSchema(`
  scalar Position
  type Message { id: ID! body: String! }
  type MessagePosted { position: Position! message: Message! }
  union ThreadEvent = MessagePosted
  type Query { ok: Boolean }
  type Subscription { threadEvents(threadId: ID!, after: Position): ThreadEvent! }
`);

type Listener = (payload: ThreadEventPayload) => void;
const listeners = new Set<Listener>();

/** One async iterator per subscriber, as graphql-subscriptions' PubSub does. */
function subscribeToThread(): AsyncIterableIterator<unknown> {
  const queue: unknown[] = [];
  let wake: ((r: IteratorResult<unknown>) => void) | undefined;
  const listener: Listener = (payload) => {
    const value = { threadEvents: { __typename: 'MessagePosted', ...payload.threadEvents } };
    if (wake) {
      const w = wake;
      wake = undefined;
      w({ value, done: false });
    } else queue.push(value);
  };
  listeners.add(listener);
  const iterator: AsyncIterableIterator<unknown> = {
    next: () => (queue.length ? Promise.resolve({ value: queue.shift(), done: false }) : new Promise((resolve) => (wake = resolve))),
    return: () => {
      listeners.delete(listener);
      wake?.({ value: undefined, done: true });
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

let position = 0;
const server = publishServer((body) => {
  const payload = threadEventPayload(++position, randomUUID(), body);
  for (const listener of listeners) listener(payload);
});
const wss = new WebSocketServer({ server, path: '/graphql', perMessageDeflate: false });
useServer({ schema, roots: { subscription: { threadEvents: subscribeToThread } } }, wss);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  sendToParent({ type: 'listening', port: typeof address === 'object' && address ? address.port : 0 });
});
