/**
 * The one execute path. Every front door turns what its transport knows
 * (requestFacts.ts: token, request id, client address) into a context with
 * the one context factory (schema/context.ts), prepares the document through
 * the one operation cache (operationCache.ts: syntax, schema validation and
 * the operation limits), and answers through the one error policy
 * (errorPolicy.ts: masked, coded, each error logged once with its request
 * id). The JSON fast path and the WebSocket gateway execute here; yoga
 * (GET, SSE, multipart) keeps its executor but is handed the same cache,
 * context factory and error policy (server.ts, yogaOperations.ts).
 */
import { createSourceEventStream, execute, type FormattedExecutionResult, type GraphQLError, type GraphQLSchema } from 'graphql';
import type { StoredEvent } from '../events/types.ts';
import { type Context, createContext, type RequestInfo, type RowSource, type Services } from '../schema/context.ts';
import { formatResult } from './errorPolicy.ts';
import { OperationCache, type PreparedOperation } from './operationCache.ts';

export type Variables = Readonly<Record<string, unknown>>;

/** One event to its result as JSON (a subscription group's executor, realtime/subscriptionGroup.ts). */
export type ExecuteEvent = (event: StoredEvent) => Promise<string>;

export interface Execution {
  readonly schema: GraphQLSchema;
  readonly services: Services;
  readonly operations: OperationCache;
  /** The operation to run, or the coded errors that refuse it. */
  prepare(query: string, operationName: string | null | undefined): PreparedOperation | readonly GraphQLError[];
  /** The context of one request (HTTP) or one operation (WebSocket). */
  context(facts: RequestInfo): Context;
  /** Runs a query or mutation to the result the client receives. */
  run(operation: PreparedOperation, variables: Variables | null | undefined, facts: RequestInfo): Promise<FormattedExecutionResult>;
  /** Starts a subscription: its source stream, or the result to answer with when it cannot start (an unknown thread). */
  subscribe(operation: PreparedOperation, variables: Variables, facts: RequestInfo): Promise<AsyncIterable<unknown> | FormattedExecutionResult>;
  /**
   * How a subscription group turns one event into its result (JSON): the
   * selection set run with the event as root value, once per group, with an
   * anonymous context (subscription types depend on no viewer).
   */
  eventExecutor(operation: PreparedOperation, variables: Variables, viewer?: RequestInfo): ExecuteEvent;
  /**
   * How a subscription whose source is not the log (presence, typing,
   * myThreads) turns one value into its result (JSON): as `eventExecutor`,
   * with the subscriber's request (`viewer`) for viewer-scoped fields and an
   * anonymous one otherwise.
   */
  valueExecutor(operation: PreparedOperation, variables: Variables, viewer?: RequestInfo): (value: unknown) => Promise<string>;
}

export interface ExecutionOptions {
  readonly operations?: OperationCache;
  /** The rows fan-out resolves events against (realtime/liveRows.ts); default: the database, like queries. */
  readonly liveRows?: RowSource;
}

export function createExecution(schema: GraphQLSchema, services: Services, options: ExecutionOptions = {}): Execution {
  const operations = options.operations ?? new OperationCache(schema);
  const context = (facts: RequestInfo) => createContext(services, facts);
  const argsOf = (operation: PreparedOperation, variables: Variables | null | undefined) => ({
    schema,
    document: operation.document,
    operationName: operation.operation.name?.value ?? null,
    variableValues: variables ?? null,
  });
  return {
    schema,
    services,
    operations,
    prepare: (query, operationName) => operations.prepare(query, operationName),
    context,
    async run(operation, variables, facts) {
      const run = async () => execute({ ...argsOf(operation, variables), contextValue: context(facts) });
      const result = services.reads ? await services.reads.run(operation.operation.operation, facts.token, run) : await run();
      return formatResult(result, facts.correlationId);
    },
    async subscribe(operation, variables, facts) {
      const source = await createSourceEventStream({ ...argsOf(operation, variables), contextValue: context(facts) });
      return Symbol.asyncIterator in source ? source : formatResult(source, facts.correlationId);
    },
    eventExecutor(operation, variables, viewer) {
      const { document, operationName, variableValues } = argsOf(operation, variables);
      return async (event) => {
        const correlationId = `event-${event.position ?? 'side'}`;
        const contextValue = createContext(services, { token: viewer?.token ?? null, correlationId, clientAddress: viewer?.clientAddress ?? 'internal' }, options.liveRows);
        return JSON.stringify(formatResult(await execute({ schema, document, operationName, variableValues, rootValue: event, contextValue }), correlationId));
      };
    },
    valueExecutor(operation, variables, viewer) {
      const { document, operationName, variableValues } = argsOf(operation, variables);
      return async (value) => {
        const facts: RequestInfo = viewer ?? { token: null, correlationId: 'live', clientAddress: 'internal' };
        const contextValue = createContext(services, facts, options.liveRows);
        return JSON.stringify(formatResult(await execute({ schema, document, operationName, variableValues, rootValue: value, contextValue }), facts.correlationId));
      };
    },
  };
}
