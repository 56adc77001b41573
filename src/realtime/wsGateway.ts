/**
 * The graphql-transport-ws protocol (what the graphql-ws client speaks),
 * served lean. Stock graphql-ws executes and serializes every event once
 * per subscriber; this gateway executes it once per group of identical
 * subscriptions (SharedPayloads) and sends each subscriber the same bytes.
 * Each subscription pulls from the log feed at its own pace, so a resumed
 * client replays from its position and then runs live with no gap, and a
 * client that cannot keep up is dropped (1013) rather than buffered: it
 * resumes later from its last position, and the log still has everything.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import {
  createSourceEventStream,
  execute,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLError,
  type GraphQLSchema,
  OperationTypeNode,
} from 'graphql';
import { CloseCode, GRAPHQL_TRANSPORT_WS_PROTOCOL, type Message, MessageType, parseMessage, stringifyMessage } from 'graphql-ws';
import type { WebSocket, WebSocketServer } from 'ws';
import { bearerToken } from '../accounts/sessions.ts';
import type { StoredEvent } from '../events/types.ts';
import { createContext, type Services } from '../schema/context.ts';
import { maskError } from '../schema/maskError.ts';
import { OperationCache, type PreparedOperation } from './operationCache.ts';
import { groupKey, SharedPayloads } from './sharedPayloads.ts';

export interface GatewayOptions {
  /** Close a client whose unsent data exceeds this many bytes. */
  readonly sendBufferLimit?: number;
  readonly connectionInitWaitMs?: number;
  readonly keepAliveMs?: number;
  readonly maxSubscriptionsPerConnection?: number;
}

/** Close code for a client too slow to keep up: standard "try again later", which graphql-ws clients retry. */
export const SLOW_CONSUMER_CLOSE = 1013;

interface Operation {
  stop(): void;
}

export interface Gateway {
  readonly stats: { connections: number; subscriptions: number; executions: () => number };
  close(): void;
}

export function attachGateway(wss: WebSocketServer, schema: GraphQLSchema, services: Services, options: GatewayOptions = {}): Gateway {
  const operations = new OperationCache(schema);
  const shared = new SharedPayloads();
  const sendBufferLimit = options.sendBufferLimit ?? 4 * 1024 * 1024;
  const maxSubscriptions = options.maxSubscriptionsPerConnection ?? 200;
  const stats = { connections: 0, subscriptions: 0, executions: () => shared.executions };
  const alive = new WeakSet<WebSocket>();

  const keepAlive = setInterval(() => {
    for (const socket of wss.clients) {
      if (!alive.has(socket)) {
        socket.terminate();
        continue;
      }
      alive.delete(socket);
      socket.ping();
    }
  }, options.keepAliveMs ?? 12_000);
  keepAlive.unref();

  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    if (socket.protocol !== GRAPHQL_TRANSPORT_WS_PROTOCOL) {
      socket.close(CloseCode.SubprotocolNotAcceptable, 'Subprotocol not acceptable');
      return;
    }
    stats.connections += 1;
    alive.add(socket);
    socket.on('pong', () => alive.add(socket));

    const running = new Map<string, Operation | null>();
    let initReceived = false;
    let acknowledged = false;
    let token: string | null = null;
    const correlationPrefix = String(request.headers['x-request-id'] ?? randomUUID()).slice(0, 40);

    const initTimer = setTimeout(() => {
      if (!acknowledged) socket.close(CloseCode.ConnectionInitialisationTimeout, 'Connection initialisation timeout');
    }, options.connectionInitWaitMs ?? 3000);
    initTimer.unref();

    const send = (message: Message) => {
      if (socket.readyState === socket.OPEN) socket.send(stringifyMessage(message));
    };

    const finish = (id: string, operation: Operation | null) => {
      if (running.get(id) === operation) running.delete(id);
    };

    const startSubscription = async (id: string, prepared: PreparedOperation, variables: Record<string, unknown>) => {
      const contextValue = createContext(services, token, `${correlationPrefix}:${id}`);
      const args = { schema, document: prepared.document, operationName: prepared.operation.name?.value ?? null, variableValues: variables, contextValue };
      const source = await createSourceEventStream(args);
      if (!(Symbol.asyncIterator in source)) {
        if (!running.has(id)) return;
        send({ id, type: MessageType.Next, payload: masked(source) });
        send({ id, type: MessageType.Complete });
        running.delete(id);
        return;
      }
      const events = source[Symbol.asyncIterator]();
      if (!running.has(id)) {
        void events.return?.();
        return;
      }
      // Nothing in the subscription types depends on who is asking, so every subscriber shares the public scope.
      const key = groupKey(prepared.query, prepared.operation, prepared.document, variables, 'public');
      shared.join(key);
      stats.subscriptions += 1;
      let stopped = false;
      const operation: Operation = {
        stop() {
          if (stopped) return;
          stopped = true;
          stats.subscriptions -= 1;
          shared.leave(key);
          void events.return?.();
        },
      };
      running.set(id, operation);
      const prefix = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
      const executeFor = (event: StoredEvent) => async () =>
        JSON.stringify(masked(await execute({ ...args, rootValue: event, contextValue: createContext(services, null, `${correlationPrefix}:${id}`) })));
      try {
        for (;;) {
          const next = await events.next();
          if (next.done || stopped) break;
          const event = next.value as StoredEvent;
          const payload = await shared.payload(key, event, executeFor(event));
          if (stopped) break;
          if (socket.bufferedAmount > sendBufferLimit) {
            socket.close(SLOW_CONSUMER_CLOSE, 'Too slow: resubscribe with after = your last position');
            // The close frame waits behind the unread data; a client that never reads is cut off.
            setTimeout(() => socket.terminate(), 10_000).unref();
            break;
          }
          socket.send(`${prefix}${payload}}`);
        }
        if (!stopped) send({ id, type: MessageType.Complete });
      } catch (error) {
        console.error('[thrds] subscription failed', error);
        send({ id, type: MessageType.Error, payload: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      } finally {
        operation.stop();
        finish(id, operation);
      }
    };

    const runOnce = async (id: string, prepared: PreparedOperation, variables: Record<string, unknown>) => {
      const result = await execute({
        schema,
        document: prepared.document,
        operationName: prepared.operation.name?.value ?? null,
        variableValues: variables,
        contextValue: createContext(services, token, `${correlationPrefix}:${id}`),
      });
      if (!running.has(id)) return;
      send({ id, type: MessageType.Next, payload: masked(result) });
      send({ id, type: MessageType.Complete });
      running.delete(id);
    };

    const onMessage = async (raw: string) => {
      let message: Message;
      try {
        message = parseMessage(raw);
      } catch (error) {
        socket.close(CloseCode.BadRequest, `Invalid message received: ${(error as Error).message}`.slice(0, 120));
        return;
      }
      switch (message.type) {
        case MessageType.ConnectionInit: {
          if (initReceived) {
            socket.close(CloseCode.TooManyInitialisationRequests, 'Too many initialisation requests');
            return;
          }
          initReceived = true;
          const header = authorizationOf(message.payload);
          if (header !== undefined) {
            token = bearerToken(header);
            const userId = token ? await services.sessions.userIdFor(token, services.clock()) : null;
            if (!userId) {
              socket.close(CloseCode.Forbidden, 'Forbidden');
              return;
            }
          }
          acknowledged = true;
          clearTimeout(initTimer);
          send({ type: MessageType.ConnectionAck });
          return;
        }
        case MessageType.Ping:
          send({ type: MessageType.Pong });
          return;
        case MessageType.Pong:
          return;
        case MessageType.Subscribe: {
          if (!acknowledged) {
            socket.close(CloseCode.Unauthorized, 'Unauthorized');
            return;
          }
          const { id, payload } = message;
          if (running.has(id)) {
            socket.close(CloseCode.SubscriberAlreadyExists, `Subscriber for ${id} already exists`);
            return;
          }
          if (running.size >= maxSubscriptions) {
            send({ id, type: MessageType.Error, payload: [{ message: `At most ${maxSubscriptions} operations per connection`, extensions: { code: 'BAD_USER_INPUT' } }] });
            return;
          }
          const prepared = operations.prepare(payload.query, payload.operationName);
          if (Array.isArray(prepared)) {
            send({ id, type: MessageType.Error, payload: (prepared as readonly GraphQLError[]).map((e) => e.toJSON()) });
            return;
          }
          running.set(id, null);
          const variables = (payload.variables ?? {}) as Record<string, unknown>;
          const op = prepared as PreparedOperation;
          const run = op.operation.operation === OperationTypeNode.SUBSCRIPTION ? startSubscription : runOnce;
          await run(id, op, variables).catch((error: unknown) => {
            console.error('[thrds] operation failed', error);
            send({ id, type: MessageType.Error, payload: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
            running.delete(id);
          });
          return;
        }
        case MessageType.Complete: {
          const operation = running.get(message.id);
          running.delete(message.id);
          operation?.stop();
          return;
        }
        default:
          socket.close(CloseCode.BadRequest, `Unexpected message of type ${message.type} received`);
      }
    };

    socket.on('message', (data, isBinary) => {
      if (isBinary) {
        socket.close(CloseCode.BadRequest, 'Binary messages are not supported');
        return;
      }
      onMessage(String(data)).catch((error: unknown) => {
        console.error('[thrds] WebSocket message handling failed', error);
        socket.close(CloseCode.InternalServerError, 'Internal server error');
      });
    });
    socket.once('close', () => {
      clearTimeout(initTimer);
      stats.connections -= 1;
      for (const operation of running.values()) operation?.stop();
      running.clear();
    });
  });

  return {
    stats,
    close() {
      clearInterval(keepAlive);
    },
  };
}

function authorizationOf(payload: unknown): string | undefined {
  if (payload === null || typeof payload !== 'object') return undefined;
  const params = payload as Record<string, unknown>;
  const value = params.authorization ?? params.Authorization;
  return typeof value === 'string' ? value : undefined;
}

/** Refusals keep their code; anything unexpected is masked. */
function masked(result: ExecutionResult): FormattedExecutionResult {
  const formatted: FormattedExecutionResult = result.data === undefined ? {} : { data: result.data };
  if (!result.errors?.length) return formatted;
  return { ...formatted, errors: result.errors.map((error) => (maskError(error, 'Unexpected error.') as GraphQLError).toJSON()) };
}
