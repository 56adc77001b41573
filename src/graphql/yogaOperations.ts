/**
 * yoga's parse and validate, answered from the operation cache the fast
 * path and the gateway share (operationCache.ts), so GET, SSE and multipart
 * run under the same limits with the same codes, and a document any door
 * has seen is not parsed again. yoga's own parser cache is switched off
 * (server.ts) so nothing is cached twice.
 *
 * yoga writes into the errors it is handed (`extensions.http`: its status
 * hints, stripped from what it sends), so it gets copies: the cached errors
 * are shared with the other doors, which send `extensions` as they are.
 *
 * An operation refused when it starts (variables that do not coerce, an
 * unknown operation name) is coded as the fast path codes it, and without
 * the `http.status` 400 yoga's executor pins on it: the status then follows
 * the media type as on the fast path (http/refusalStatus.ts), 200 in an SSE
 * stream, which graphql-sse would otherwise retry as a network failure.
 */
import { type DocumentNode, type ExecutionResult, GraphQLError, specifiedRules, type ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { validateOperation, withExtensions } from '../protection/operationLimits.ts';
import { isGraphQLError } from './maskError.ts';
import type { OperationCache } from './operationCache.ts';

export function useOperationCache(operations: OperationCache): Plugin {
  return {
    onParse({ setParseFn }) {
      setParseFn((source) => parse(operations, typeof source === 'string' ? source : source.body));
    },
    onValidate({ setValidationFn }) {
      setValidationFn((schema, document, rules) =>
        (standard(rules) ? operations.validate(document) : validateOperation(schema, document, rules ?? specifiedRules)).map((error) => copy(error)),
      );
    },
    onExecute: () => ({ onExecuteDone: ({ result, setResult }) => recodeRefusal(result, setResult) }),
    onSubscribe: () => ({ onSubscribeResult: ({ result, setResult }) => recodeRefusal(result, setResult) }),
  };
}

/** A result with no data whose errors graphql-js raised itself: those errors coded, yoga's status hint dropped. */
function recodeRefusal(result: unknown, setResult: (result: ExecutionResult) => void): void {
  if (result === null || typeof result !== 'object' || Symbol.asyncIterator in result) return;
  const single = result as ExecutionResult;
  if (single.data != null || !single.errors?.length || !single.errors.every(raisedByGraphql)) return;
  setResult({ ...single, errors: single.errors.map(recoded) });
}

/** Raised by graphql-js (or yoga's executor) itself, with no resolver error inside. */
function raisedByGraphql(error: GraphQLError): boolean {
  const original = error.originalError;
  return original === undefined || original === null || (isGraphQLError(original) && original.originalError == null);
}

function recoded(error: GraphQLError): GraphQLError {
  const { http: _status, ...extensions } = error.extensions ?? {};
  return copy(error, { ...extensions, code: typeof extensions.code === 'string' ? extensions.code : 'BAD_USER_INPUT' });
}

function parse(operations: OperationCache, query: string): DocumentNode {
  try {
    return operations.parse(query);
  } catch (error) {
    throw error instanceof GraphQLError ? copy(error) : error;
  }
}

/** The spec's rules (what yoga passes unless a plugin adds one): the cached answer applies. */
function standard(rules: readonly ValidationRule[] | undefined): boolean {
  return rules === undefined || (rules.length === specifiedRules.length && rules.every((rule, i) => rule === specifiedRules[i]));
}

function copy(error: GraphQLError, extensions: Readonly<Record<string, unknown>> = { ...error.extensions }): GraphQLError {
  return withExtensions(error, extensions);
}
