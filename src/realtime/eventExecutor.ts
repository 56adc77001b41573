/**
 * How a subscription group turns one event into its result: the
 * subscription's selection set run with the event as root value, once per
 * group, with a fresh anonymous context (subscription types depend on no
 * viewer, so no per-subscriber state is kept).
 */
import { execute, type ExecutionArgs } from 'graphql';
import { createContext, type Services } from '../schema/context.ts';
import { masked } from './maskedResult.ts';
import type { ExecuteEvent } from './subscriptionGroup.ts';

export function eventExecutor(services: Services, args: ExecutionArgs): ExecuteEvent {
  const { schema, document, operationName, variableValues } = args;
  return async (event) => {
    const correlationId = `event-${event.position}`;
    const contextValue = createContext(services, { token: null, correlationId, clientAddress: 'internal' });
    return JSON.stringify(masked(await execute({ schema, document, operationName, variableValues, rootValue: event, contextValue }), correlationId));
  };
}
