/**
 * The graphql-transport-ws protocol (what the graphql-ws client speaks),
 * served lean. Stock graphql-ws executes and serializes every event once per
 * subscriber; here identical subscriptions form a group (subscriptionGroup.ts)
 * that executes each event once and pushes the same bytes to every member.
 * A client that cannot keep up is dropped (1013) rather than buffered: it
 * resubscribes from its last position and the log still has everything.
 */
import type { IncomingMessage } from 'node:http';
import { createSourceEventStream, execute, type ExecutionArgs, type ExecutionResult, type FormattedExecutionResult, type GraphQLError, type GraphQLSchema, OperationTypeNode } from 'graphql';
import { CloseCode, GRAPHQL_TRANSPORT_WS_PROTOCOL, type Message, MessageType, parseMessage, stringifyMessage, type SubscribePayload } from 'graphql-ws';
import type { WebSocket, WebSocketServer } from 'ws';
import { bearerToken } from '../accounts/sessions.ts';
import { FeedSubscription } from '../events/logFeed.ts';
import { clientAddress } from '../protection/clientAddress.ts';
import { createContext, type Services } from '../schema/context.ts';
import { maskError } from '../schema/maskError.ts';
import { OperationCache, type PreparedOperation } from './operationCache.ts';
import { type ExecuteEvent, GroupRegistry, groupKey, type Member, type SubscriptionGroup, type Transport } from './subscriptionGroup.ts';

export interface GatewayOptions {
  /** Close a client whose unsent data exceeds this many bytes. */
  readonly sendBufferLimit?: number;
  readonly connectionInitWaitMs?: number;
  readonly keepAliveMs?: number;
  readonly maxOperationsPerConnection?: number;
}

/** Close code for a client too slow to keep up: standard "try again later", which graphql-ws clients retry. */
export const SLOW_CONSUMER_CLOSE = 1013;

export interface Gateway {
  readonly stats: { readonly connections: number; readonly subscriptions: number; executions(): number };
  close(): void;
}

interface Operation {
  stop(): void;
}

/** What every connection shares. */
interface Shared {
  readonly schema: GraphQLSchema;
  readonly services: Services;
  readonly operations: OperationCache;
  readonly groups: GroupRegistry;
  readonly options: Required<GatewayOptions>;
  readonly stats: { connections: number; subscriptions: number };
}

const UNEXPECTED = [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }];

export function attachGateway(wss: WebSocketServer, schema: GraphQLSchema, services: Services, options: GatewayOptions = {}): Gateway {
  const settings: Required<GatewayOptions> = {
    sendBufferLimit: options.sendBufferLimit ?? 4 * 1024 * 1024,
    connectionInitWaitMs: options.connectionInitWaitMs ?? 3000,
    keepAliveMs: options.keepAliveMs ?? 12_000,
    maxOperationsPerConnection: options.maxOperationsPerConnection ?? 200,
  };
  const stats = { connections: 0, subscriptions: 0 };
  const shared: Shared = {
    schema,
    services,
    operations: new OperationCache(schema),
    groups: new GroupRegistry(services.feed, settings.sendBufferLimit),
    options: settings,
    stats,
  };
  const alive = new WeakSet<WebSocket>();
  function markAlive(this: WebSocket) {
    alive.add(this);
  }
  let connectionNumber = 0;

  // Ping every socket; one that did not answer the last ping is gone.
  const keepAlive = setInterval(() => {
    for (const socket of wss.clients) {
      if (!alive.has(socket)) {
        socket.terminate();
        continue;
      }
      alive.delete(socket);
      socket.ping();
    }
  }, settings.keepAliveMs);
  keepAlive.unref();

  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    if (socket.protocol !== GRAPHQL_TRANSPORT_WS_PROTOCOL) {
      socket.close(CloseCode.SubprotocolNotAcceptable, 'Subprotocol not acceptable');
      return;
    }
    alive.add(socket);
    socket.on('pong', markAlive);
    new Connection(shared, socket, request.socket, (connectionNumber += 1), clientAddress(request, services.protection.trustProxy));
  });

  return {
    stats: {
      get connections() {
        return stats.connections;
      },
      get subscriptions() {
        return stats.subscriptions;
      },
      executions: () => shared.groups.executions,
    },
    close() {
      clearInterval(keepAlive);
    },
  };
}

/** Socket → its connection, so every socket shares the same listener functions. */
const connections = new WeakMap<WebSocket, Connection>();

function onSocketMessage(this: WebSocket, data: unknown, isBinary: boolean): void {
  if (isBinary) {
    this.close(CloseCode.BadRequest, 'Binary messages are not supported');
    return;
  }
  connections.get(this)?.received(String(data));
}

function onSocketClose(this: WebSocket): void {
  connections.get(this)?.closed();
  connections.delete(this);
}

/** One client socket: the protocol's state machine and its running operations. */
class Connection {
  private readonly running = new Map<string, Operation | null>();
  private initReceived = false;
  private acknowledged = false;
  private token: string | null = null;
  private initTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly shared: Shared,
    private readonly socket: WebSocket,
    /** The TCP socket under it (the upgraded request's): see Member.transport. */
    private readonly transport: Transport,
    private readonly number: number,
    /** Where the connection comes from (protection/clientAddress.ts). */
    private readonly address: string,
  ) {
    shared.stats.connections += 1;
    this.initTimer = setTimeout(() => {
      if (!this.acknowledged) socket.close(CloseCode.ConnectionInitialisationTimeout, 'Connection initialisation timeout');
    }, shared.options.connectionInitWaitMs);
    this.initTimer.unref();
    connections.set(socket, this);
    socket.on('message', onSocketMessage);
    socket.once('close', onSocketClose);
  }

  received(raw: string): void {
    this.onMessage(raw).catch((error: unknown) => {
      console.error('[thrds] WebSocket message handling failed', error);
      this.socket.close(CloseCode.InternalServerError, 'Internal server error');
    });
  }

  private send(message: Message): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(stringifyMessage(message));
  }

  private context(id: string) {
    return createContext(this.shared.services, { token: this.token, correlationId: `ws-${this.number}:${id}`.slice(0, 64), clientAddress: this.address });
  }

  private async onMessage(raw: string): Promise<void> {
    let message: Message;
    try {
      message = parseMessage(raw);
    } catch (error) {
      this.socket.close(CloseCode.BadRequest, `Invalid message received: ${(error as Error).message}`.slice(0, 120));
      return;
    }
    switch (message.type) {
      case MessageType.ConnectionInit:
        return this.init(message.payload);
      case MessageType.Ping:
        return this.send({ type: MessageType.Pong });
      case MessageType.Pong:
        return;
      case MessageType.Subscribe:
        return this.subscribe(message.id, message.payload);
      case MessageType.Complete: {
        const operation = this.running.get(message.id);
        this.running.delete(message.id);
        operation?.stop();
        return;
      }
      default:
        this.socket.close(CloseCode.BadRequest, `Unexpected message of type ${message.type} received`);
    }
  }

  /** A token, when sent, must be valid (4403 otherwise); without one the connection may read. */
  private async init(payload: unknown): Promise<void> {
    if (this.initReceived) {
      this.socket.close(CloseCode.TooManyInitialisationRequests, 'Too many initialisation requests');
      return;
    }
    this.initReceived = true;
    const header = authorizationOf(payload);
    if (header !== undefined) {
      this.token = bearerToken(header);
      const { sessions, clock } = this.shared.services;
      const userId = this.token ? await sessions.userIdFor(this.token, clock()) : null;
      if (!userId) {
        this.socket.close(CloseCode.Forbidden, 'Forbidden');
        return;
      }
    }
    this.acknowledged = true;
    clearTimeout(this.initTimer);
    this.initTimer = undefined;
    this.send({ type: MessageType.ConnectionAck });
  }

  private async subscribe(id: string, payload: SubscribePayload): Promise<void> {
    if (!this.acknowledged) {
      this.socket.close(CloseCode.Unauthorized, 'Unauthorized');
      return;
    }
    if (this.running.has(id)) {
      this.socket.close(CloseCode.SubscriberAlreadyExists, `Subscriber for ${id} already exists`);
      return;
    }
    if (this.running.size >= this.shared.options.maxOperationsPerConnection) {
      const message = `At most ${this.shared.options.maxOperationsPerConnection} operations per connection`;
      this.send({ id, type: MessageType.Error, payload: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] });
      return;
    }
    const prepared = this.shared.operations.prepare(payload.query, payload.operationName);
    if (Array.isArray(prepared)) {
      this.send({ id, type: MessageType.Error, payload: (prepared as readonly GraphQLError[]).map((e) => e.toJSON()) });
      return;
    }
    const operation = prepared as PreparedOperation;
    this.running.set(id, null);
    const args: ExecutionArgs = {
      schema: this.shared.schema,
      document: operation.document,
      operationName: operation.operation.name?.value ?? null,
      variableValues: (payload.variables ?? {}) as Record<string, unknown>,
      contextValue: this.context(id),
    };
    try {
      if (operation.operation.operation === OperationTypeNode.SUBSCRIPTION) await this.startSubscription(id, operation, args);
      else await this.runOnce(id, args);
    } catch (error) {
      console.error('[thrds] operation failed', error);
      if (this.running.has(id)) this.send({ id, type: MessageType.Error, payload: UNEXPECTED });
      this.running.delete(id);
    }
  }

  private async runOnce(id: string, args: ExecutionArgs): Promise<void> {
    const result = await execute(args);
    if (!this.running.has(id)) return;
    this.send({ id, type: MessageType.Next, payload: masked(result) });
    this.send({ id, type: MessageType.Complete });
    this.running.delete(id);
  }

  private async startSubscription(id: string, prepared: PreparedOperation, args: ExecutionArgs): Promise<void> {
    const source = await createSourceEventStream(args);
    if (!(Symbol.asyncIterator in source)) {
      if (!this.running.has(id)) return;
      this.send({ id, type: MessageType.Next, payload: masked(source) });
      this.send({ id, type: MessageType.Complete });
      this.running.delete(id);
      return;
    }
    const events = source[Symbol.asyncIterator]();
    if (!(events instanceof FeedSubscription)) throw new Error('subscription fields must stream from the log feed');
    if (!this.running.has(id)) {
      void events.return();
      return;
    }

    // Nothing in the subscription types depends on who is asking: every subscriber shares the public scope.
    const key = groupKey(prepared.query, prepared.operation, prepared.document, (args.variableValues ?? {}) as Record<string, unknown>, 'public');
    const group = this.shared.groups.hold(key, events.filter, eventExecutor(this.shared, args));
    const live = new LiveSubscription(this.shared, this.socket, this.transport, id, group, events);
    this.running.set(id, live);
    await live.catchUp();
  }

  closed(): void {
    clearTimeout(this.initTimer);
    this.shared.stats.connections -= 1;
    for (const operation of this.running.values()) operation?.stop();
    this.running.clear();
  }
}

/** Runs the subscription's selection set for one event, with a fresh context (no per-subscriber state kept). */
function eventExecutor(shared: Shared, args: ExecutionArgs): ExecuteEvent {
  const { schema, document, operationName, variableValues } = args;
  return async (event) =>
    JSON.stringify(
      masked(
        await execute({ schema, document, operationName, variableValues, rootValue: event, contextValue: createContext(shared.services, { token: null, correlationId: `event-${event.position}`, clientAddress: 'internal' }) }),
      ),
    );
}

/**
 * One subscription of one socket: a group member. It keeps only what it
 * needs for as long as it lives (thousands of these sit idle).
 */
class LiveSubscription implements Member, Operation {
  readonly prefix: Buffer;
  last: number;
  private events: FeedSubscription | undefined;
  private stopped = false;

  constructor(
    private readonly shared: Shared,
    readonly socket: WebSocket,
    readonly transport: Transport,
    readonly id: string,
    private readonly group: SubscriptionGroup,
    events: FeedSubscription,
  ) {
    this.prefix = Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`);
    this.last = events.position;
    this.events = events;
    shared.stats.subscriptions += 1;
  }

  /** Replays from the log on its own, sharing the group's results, then joins the live set. */
  async catchUp(): Promise<void> {
    const events = this.events!;
    while (!this.stopped && !events.caughtUp) {
      for (const event of await events.pull()) {
        const bytes = await this.group.result(event);
        if (this.stopped || !this.group.deliver(this, event.position, bytes)) return;
      }
    }
    if (this.stopped) return;
    this.last = events.position;
    this.events = undefined;
    void events.return();
    this.group.join(this);
  }

  onTooSlow(): void {
    this.stop();
    this.socket.close(SLOW_CONSUMER_CLOSE, 'Too slow: resubscribe with after = your last position');
    // The close frame waits behind the unread data; a client that never reads is cut off.
    const socket = this.socket;
    setTimeout(() => socket.terminate(), 10_000).unref();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.shared.stats.subscriptions -= 1;
    this.group.release(this);
    void this.events?.return();
    this.events = undefined;
  }
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
