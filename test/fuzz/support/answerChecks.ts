/**
 * What every answer to a GraphQL request must look like, whatever was sent:
 * each error carries `extensions.code`, none is INTERNAL_SERVER_ERROR (a bug
 * the server masked), and no WebSocket is closed as an internal error.
 */
import type { Violation } from './fuzzRunner.ts';

interface ErrorLike {
  readonly message?: unknown;
  readonly extensions?: { readonly code?: unknown };
}

/** Checks `errors` of a GraphQL result (HTTP body, SSE `next`, graphql-ws `next` payload). */
export function checkResult(result: unknown, where: string): Violation[] {
  if (result === null || typeof result !== 'object') return [{ kind: 'not a GraphQL result', detail: `${where}: ${JSON.stringify(result)?.slice(0, 200)}` }];
  const errors = (result as { errors?: unknown }).errors;
  if (errors === undefined) return [];
  if (!Array.isArray(errors)) return [{ kind: 'not a GraphQL result', detail: `${where}: errors is ${typeof errors}` }];
  return checkErrors(errors, where);
}

/** Checks a list of GraphQL errors (also the payload of a graphql-ws `error` message). */
export function checkErrors(errors: readonly unknown[], where: string): Violation[] {
  const violations = new Map<string, Violation>();
  for (const raw of errors) {
    const error = (raw ?? {}) as ErrorLike;
    const code = error.extensions?.code;
    const message = String(error.message).slice(0, 160);
    if (typeof code !== 'string' || code === '') {
      violations.set(`nocode ${message}`, { kind: 'error without extensions.code', detail: `${where}: ${message}` });
    } else if (code === 'INTERNAL_SERVER_ERROR') {
      violations.set(`internal ${message}`, { kind: 'INTERNAL_SERVER_ERROR', detail: `${where}: ${message}` });
    }
  }
  return [...violations.values()].slice(0, 3);
}

/** 4500 (graphql-ws's internal error) and 1011 (RFC 6455's) both mean the server hit a bug. */
export function checkCloseCode(code: number | undefined, reason: string, where: string): Violation[] {
  if (code === 4500 || code === 1011) return [{ kind: 'WebSocket closed as internal error', detail: `${where}: close ${code} ${reason.slice(0, 120)}` }];
  return [];
}

/** graphql-ws messages from the server: `next` results and `error` payloads. */
export function checkWsMessages(messages: readonly unknown[], where: string): Violation[] {
  const out: Violation[] = [];
  for (const message of messages) {
    if (message === null || typeof message !== 'object') continue;
    const { type, payload } = message as { type?: unknown; payload?: unknown };
    if (type === 'next') out.push(...checkResult(payload, `${where} next`));
    if (type === 'error') {
      if (Array.isArray(payload)) out.push(...checkErrors(payload, `${where} error`));
      else out.push({ kind: 'not a GraphQL result', detail: `${where}: error message payload is ${JSON.stringify(payload)?.slice(0, 120)}` });
    }
  }
  return out.slice(0, 4);
}

/**
 * RFC 6455 §7.4: 1004, 1005, 1006 and 1015 are never sent, nor codes below
 * 1000, in 1016–2999 (unassigned) or above 4999.
 */
export function checkSentCloseCode(code: number, where: string): Violation[] {
  const forbidden = code < 1000 || code === 1004 || code === 1005 || code === 1006 || code === 1015 || (code >= 1016 && code <= 2999) || code > 4999;
  return forbidden ? [{ kind: 'close code no endpoint may send', detail: `${where}: close ${code}` }] : [];
}
