/**
 * One client socket speaking graphql-transport-ws: the protocol's state
 * machine (init, subscribe, complete, ping) and the operations it runs. It
 * knows the socket only as a SocketTransport (socketTransport.ts) and runs
 * operations only through the one execute path (src/graphql/execution.ts).
 *
 * Bookkeeping is by operation object, not by id: a client may complete an
 * id and subscribe with it again while the first start is still awaiting
 * the database, and only the operation still installed under its id may
 * install itself. Operations still starting count toward the cap, so a
 * socket never holds more than `maxOperations`, and none survive its close.
 */
import { CloseCode, type Message, MessageType, parseMessage, stringifyMessage, type SubscribePayload } from 'graphql-ws';
import { type GraphQLSchema, Kind, type OperationDefinitionNode, OperationTypeNode } from 'graphql';
import { bearerToken } from '../accounts/sessions.ts';
import { RateLimitedError } from '../errors.ts';
import { FeedSubscription } from '../events/logFeed.ts';
import { reportError, reportUnexpected } from '../graphql/errorPolicy.ts';
import type { Execution, Variables } from '../graphql/execution.ts';
import { isRefused, type PreparedOperation } from '../graphql/operationCache.ts';
import { log } from '../observability/log.ts';
import { operationRequestId } from '../observability/requestId.ts';
import type { RequestInfo } from '../schema/context.ts';
import { connectionAuthorization } from './connectionParams.ts';
import { LiveSubscription, type Owner } from './liveSubscription.ts';
import { EphemeralSubscription, type SharedResults } from './ephemeralSubscription.ts';
import type { PresenceConnection } from '../presence/presenceTypes.ts';
import type { SignedIn, SignedInConnections } from './signedInConnections.ts';
import type { SocketTransport } from './socketTransport.ts';
import { type GroupRegistry, groupKey } from './subscriptionGroup.ts';

/** Longer operation ids are refused (4400): an id is echoed in every frame and names the operation in logs. */
export const MAX_OPERATION_ID = 128;
/** Close code for a client too slow to keep up: standard "try again later", which graphql-ws clients retry. */
export const SLOW_CONSUMER_CLOSE = 1013;
/** How long a dropped client gets to read its close frame before its socket is cut. */
const SLOW_CONSUMER_GRACE_MS = 10_000;
/** RFC 6455 allows 123 bytes of close reason. */
const MAX_CLOSE_REASON_BYTES = 123;

export interface ConnectionSettings {
  /** Close a client whose unsent data exceeds this many bytes. */
  readonly sendBufferLimit: number;
  readonly connectionInitWaitMs: number;
  readonly maxOperationsPerConnection: number;
}

/** What every connection of a gateway shares. */
export interface Shared {
  readonly execution: Execution;
  readonly groups: GroupRegistry;
  /** Results of values from sources other than the log, shared by value (ephemeralSubscription.ts). */
  readonly values: SharedResults;
  readonly settings: ConnectionSettings;
  readonly stats: { connections: number; subscriptions: number; slowConsumerDrops: number; ephemeralFrames: number };
  readonly signedIn: SignedInConnections;
  /** Unique to this gateway: connection numbers restart with the process, rate-limit keys in Redis outlive it. */
  readonly instance: string;
}

/** An operation as the connection holds it, under its id, from its subscribe message until it ends. */
class Operation {
  live: LiveSubscription | EphemeralSubscription | undefined;
  stop(): void {
    this.live?.stop();
  }
}

export class Connection implements Owner, SignedIn {
  private readonly running = new Map<string, Operation>();
  private initReceived = false;
  private acknowledged = false;
  private dropped = false;
  private bearer: string | null = null;
  private userId: string | null = null;
  /** Held from the acknowledgement to the close: the socket counts toward who is online. */
  private presence: PresenceConnection | undefined;
  private initTimer: NodeJS.Timeout | undefined;
  /** Catch-ups on one socket take turns: the socket is the bottleneck anyway, and one page is in memory, not one per subscription. */
  private replaying: Promise<void> = Promise.resolve();
  private readonly rateKey: string;

  constructor(
    private readonly shared: Shared,
    private readonly transport: SocketTransport,
    /** This gateway's count of connections so far: names the connection's rate-limit key. */
    number: number,
    /** Where the connection comes from (protection/clientAddress.ts). */
    private readonly address: string,
    /** The upgrade request's id (observability/requestId.ts): each operation's correlation id starts with it. */
    private readonly requestId: string,
  ) {
    shared.stats.connections += 1;
    // Its request id goes in each line rather than a pino child per socket: a child is ~0.4 KiB, held as long as the socket.
    log.debug({ requestId, clientAddress: address }, 'WebSocket connected');
    this.rateKey = `${shared.instance}:${number}`;
    this.initTimer = setTimeout(() => {
      if (!this.acknowledged) this.close(CloseCode.ConnectionInitialisationTimeout, 'Connection initialisation timeout');
    }, shared.settings.connectionInitWaitMs);
    this.initTimer.unref();
  }

  get stats(): { subscriptions: number } {
    return this.shared.stats;
  }

  /** One text frame from the client. */
  received(raw: string): void {
    if (!this.transport.open) return;
    let message: Message;
    try {
      message = parseMessage(raw);
    } catch (error) {
      this.close(CloseCode.BadRequest, `Invalid message received: ${(error as Error).message}`);
      return;
    }
    if ('id' in message && message.id.length > MAX_OPERATION_ID) {
      this.close(CloseCode.BadRequest, `Operation ids are at most ${MAX_OPERATION_ID} characters`);
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
        this.close(CloseCode.BadRequest, `Unexpected message of type ${message.type} received`);
    }
  }

  /** The socket closed: everything it ran stops and is forgotten. */
  closed(): void {
    clearTimeout(this.initTimer);
    this.shared.stats.connections -= 1;
    log.debug({ requestId: this.requestId }, 'WebSocket closed');
    this.stopAll();
    if (this.userId) this.shared.signedIn.remove(this.userId, this);
    this.presence?.close();
  }

  overBudget(): boolean {
    return this.transport.bufferedAmount > this.shared.settings.sendBufferLimit;
  }

  /** Stops every operation at once (no more replay or fan-out work for this socket) and closes with 1013. */
  tooSlow(): void {
    if (this.dropped) return;
    this.dropped = true;
    this.shared.stats.slowConsumerDrops += 1;
    log.debug({ requestId: this.requestId, bufferedBytes: this.transport.bufferedAmount }, 'WebSocket too slow: closed 1013');
    this.close(SLOW_CONSUMER_CLOSE, 'Too slow: resubscribe with after = your last position');
    // The close frame waits behind the unread data; a client that never reads is cut off.
    const transport = this.transport;
    setTimeout(() => transport.terminate(), SLOW_CONSUMER_GRACE_MS).unref();
  }

  /** The bearer token the connection signed in with ('' when anonymous): see SignedInConnections. */
  get token(): string {
    return this.bearer ?? '';
  }

  /** Its session ended (logout, password change): it may no longer act as that user. */
  revoke(): void {
    this.close(CloseCode.Forbidden, 'Forbidden');
  }

  private stopAll(): void {
    const operations = [...this.running.values()];
    this.running.clear();
    for (const operation of operations) operation.stop();
  }

  /** Sends unless the socket is already over its budget (then it is dropped): at most the limit plus one frame. */
  private send(message: Message): void {
    if (!this.transport.open) return;
    if (this.overBudget()) return this.tooSlow();
    this.transport.send(stringifyMessage(message));
  }

  /** Closes the socket, and stops everything it runs now rather than when the client answers the close. */
  private close(code: number, reason: string): void {
    this.stopAll();
    this.transport.close(code, closeReason(reason));
  }

  /** A token, when sent, must be valid (4403 otherwise); without one the connection may read. */
  private init(payload: unknown): void {
    if (this.initReceived) {
      this.close(CloseCode.TooManyInitialisationRequests, 'Too many initialisation requests');
      return;
    }
    this.initReceived = true;
    this.authenticate(payload).catch((error: unknown) => {
      reportUnexpected(error, this.requestId);
      this.close(CloseCode.InternalServerError, 'Internal server error');
    });
  }

  private async authenticate(payload: unknown): Promise<void> {
    const authorization = connectionAuthorization(payload);
    if ('refused' in authorization) {
      this.close(CloseCode.BadRequest, authorization.refused);
      return;
    }
    if (authorization.header !== undefined) {
      this.bearer = bearerToken(authorization.header);
      const { sessions, clock } = this.shared.execution.services;
      const userId = this.bearer ? await sessions.userIdFor(this.bearer, clock()) : null;
      if (!userId) {
        this.close(CloseCode.Forbidden, 'Forbidden');
        return;
      }
      if (!this.transport.open) return;
      this.userId = userId;
      this.shared.signedIn.add(userId, this);
    }
    this.acknowledged = true;
    this.presence = this.shared.execution.services.presence.connect(this.userId);
    clearTimeout(this.initTimer);
    this.initTimer = undefined;
    this.send({ type: MessageType.ConnectionAck });
  }

  private subscribe(id: string, payload: SubscribePayload): void {
    if (!this.acknowledged) {
      this.close(CloseCode.Unauthorized, 'Unauthorized');
      return;
    }
    if (this.running.has(id)) {
      this.close(CloseCode.SubscriberAlreadyExists, `Subscriber for ${id} already exists`);
      return;
    }
    const max = this.shared.settings.maxOperationsPerConnection;
    if (this.running.size >= max) {
      this.send({ id, type: MessageType.Error, payload: [{ message: `At most ${max} operations per connection`, extensions: { code: 'BAD_USER_INPUT' } }] });
      return;
    }
    // Installed before anything is awaited, so a complete for this id that follows at once finds it.
    const operation = new Operation();
    this.running.set(id, operation);
    const facts: RequestInfo = {
      token: this.bearer,
      correlationId: operationRequestId(this.requestId, id),
      clientAddress: this.address,
      ...(this.presence ? { presence: this.presence } : {}),
    };
    this.start(id, operation, payload, facts).catch((error: unknown) => {
      const errors = reportUnexpected(error, facts.correlationId);
      const wasRunning = this.finish(id, operation);
      operation.stop();
      if (wasRunning) this.send({ id, type: MessageType.Error, payload: errors });
    });
  }

  /** Still the operation under `id`: not completed, not replaced, not closed. */
  private holds(id: string, operation: Operation): boolean {
    return this.running.get(id) === operation;
  }

  /** Takes `operation` out of `running` if it is still there; says whether it was. */
  private finish(id: string, operation: Operation): boolean {
    if (!this.holds(id, operation)) return false;
    this.running.delete(id);
    return true;
  }

  private async start(id: string, operation: Operation, payload: SubscribePayload, facts: RequestInfo): Promise<void> {
    const { execution } = this.shared;
    try {
      await execution.services.rateLimits.consume('subscribesPerConnection', this.rateKey);
    } catch (error) {
      if (!(error instanceof RateLimitedError)) throw error;
      if (this.finish(id, operation)) this.send({ id, type: MessageType.Error, payload: [reportError(error, facts.correlationId).toJSON()] });
      return;
    }
    if (!this.holds(id, operation)) return;
    const prepared = execution.prepare(payload.query, payload.operationName);
    if (isRefused(prepared)) {
      const errors = prepared.map((error) => reportError(error, facts.correlationId).toJSON());
      if (this.finish(id, operation)) this.send({ id, type: MessageType.Error, payload: errors });
      return;
    }
    const variables: Variables = payload.variables ?? {};
    if (prepared.operation.operation === OperationTypeNode.SUBSCRIPTION) await this.startSubscription(id, operation, prepared, variables, facts);
    else await this.runOnce(id, operation, prepared, variables, facts);
  }

  private async runOnce(id: string, operation: Operation, prepared: PreparedOperation, variables: Variables, facts: RequestInfo): Promise<void> {
    const result = await this.shared.execution.run(prepared, variables, facts);
    if (!this.finish(id, operation)) return;
    this.send({ id, type: MessageType.Next, payload: result });
    this.send({ id, type: MessageType.Complete });
  }

  private async startSubscription(id: string, operation: Operation, prepared: PreparedOperation, variables: Variables, facts: RequestInfo): Promise<void> {
    const { execution, groups } = this.shared;
    const source = await execution.subscribe(prepared, variables, facts);
    if (!(Symbol.asyncIterator in source)) {
      if (!this.finish(id, operation)) return;
      this.send({ id, type: MessageType.Next, payload: source });
      this.send({ id, type: MessageType.Complete });
      return;
    }
    const events = source[Symbol.asyncIterator]();
    if (!this.holds(id, operation)) {
      void events.return?.();
      return;
    }
    // A field marked viewer-scoped resolves for its subscriber (unread counts, typing without oneself): its results are shared only among that user's subscriptions.
    const viewerScoped = isViewerScoped(execution.schema, prepared.operation);
    const scope = viewerScoped ? `user:${this.userId ?? ''}` : 'public';
    const key = groupKey(prepared.query, prepared.operation, prepared.document, variables, scope);
    const viewer = viewerScoped ? facts : undefined;
    if (!(events instanceof FeedSubscription)) {
      const ephemeral = new EphemeralSubscription(this, this.transport, id, events, this.shared.values.executor(key, execution.valueExecutor(prepared, variables, viewer)), this.shared.stats);
      operation.live = ephemeral;
      if (!(await ephemeral.run())) return;
      if (this.finish(id, operation)) this.send({ id, type: MessageType.Complete });
      return;
    }
    const group = groups.hold(key, events.filter, execution.eventExecutor(prepared, variables, viewer), events.sideValues);
    const live = new LiveSubscription(this, this.transport, id, group, events);
    operation.live = live;
    if (live.joinIfCaughtUp()) return;
    await this.inTurn(() => live.catchUp());
  }

  private inTurn(work: () => Promise<void>): Promise<void> {
    const turn = this.replaying.then(work);
    // The next catch-up waits for this one to end, failed or not; a failure reaches this one's caller through `turn`.
    this.replaying = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }
}

/** Whether the operation's root field says its results depend on who subscribes (`extensions: { viewerScoped: true }`). */
function isViewerScoped(schema: GraphQLSchema, operation: OperationDefinitionNode): boolean {
  const root = operation.selectionSet.selections.find((selection) => selection.kind === Kind.FIELD);
  if (root?.kind !== Kind.FIELD) return false;
  return schema.getSubscriptionType()?.getFields()[root.name.value]?.extensions['viewerScoped'] === true;
}

/** `text` cut to whole characters within RFC 6455's 123 bytes (ws throws on a longer reason). */
export function closeReason(text: string): string {
  if (Buffer.byteLength(text) <= MAX_CLOSE_REASON_BYTES) return text;
  let reason = '';
  for (const character of text) {
    if (Buffer.byteLength(reason + character) > MAX_CLOSE_REASON_BYTES) break;
    reason += character;
  }
  return reason;
}
