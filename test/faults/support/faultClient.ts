/**
 * What a client sees while a fault is injected: every request's status,
 * latency, error codes and Retry-After, never thrown away. A request that
 * gets no answer (refused, reset, or past the client's own timeout) is
 * recorded with status 0 and the reason.
 */
import { postGraphQL } from '../../support/graphqlClient.ts';

export interface Outcome {
  /** The idempotency key (mutations) or a label. */
  readonly key: string;
  /** performance.now() when it was sent. */
  readonly startedAt: number;
  readonly ms: number;
  /** HTTP status; 0 when no response came. */
  readonly status: number;
  /** Why no response came (status 0). */
  readonly failure?: string;
  /** Answered with data and no errors. */
  readonly ok: boolean;
  readonly errors: ReadonlyArray<{ readonly message: string; readonly extensions?: Readonly<Record<string, unknown>> }>;
  readonly retryAfter: string | null;
  readonly connectionHeader: string | null;
  readonly data: Readonly<Record<string, unknown>> | null;
}

export interface RequestOptions {
  readonly token?: string;
  readonly key?: string;
  /** Give up after this long (recorded as status 0). Default 15 s: longer than any deadline under test. */
  readonly timeoutMs?: number;
}

export async function graphql(base: string, query: string, variables: Record<string, unknown>, options: RequestOptions = {}): Promise<Outcome> {
  const startedAt = performance.now();
  const key = options.key ?? '';
  try {
    const reply = await postGraphQL(`${base}/graphql`, query, variables, { token: options.token, timeoutMs: options.timeoutMs ?? 15_000 });
    const ms = performance.now() - startedAt;
    const body = reply.body ?? { errors: [{ message: `not JSON: ${reply.text.slice(0, 200)}` }] };
    const errors = body.errors ?? [];
    return {
      key,
      startedAt,
      ms,
      status: reply.status,
      ok: reply.status >= 200 && reply.status < 300 && errors.length === 0 && body.data != null,
      errors,
      retryAfter: reply.headers.get('retry-after'),
      connectionHeader: reply.headers.get('connection'),
      data: body.data ?? null,
    };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return {
      key,
      startedAt,
      ms: performance.now() - startedAt,
      status: 0,
      failure: cause?.code ?? (error instanceof Error ? error.name : String(error)),
      ok: false,
      errors: [],
      retryAfter: null,
      connectionHeader: null,
      data: null,
    };
  }
}

/** A failure as the contract wants it: every error UNAVAILABLE + retryable, HTTP 503 with Retry-After. */
export function isProperUnavailable(outcome: Outcome): boolean {
  return (
    outcome.status === 503 &&
    outcome.retryAfter !== null &&
    /^\d+$/.test(outcome.retryAfter) &&
    outcome.errors.length > 0 &&
    outcome.errors.every((e) => e.extensions?.code === 'UNAVAILABLE' && e.extensions.retryable === true)
  );
}

/** One line per outcome kind with a count, for assertion messages. */
export function summarize(outcomes: readonly Outcome[]): string {
  const kinds = new Map<string, number>();
  for (const o of outcomes) {
    const kind = o.ok
      ? `${o.status} ok`
      : o.status === 0
        ? `no response (${o.failure})`
        : `${o.status}${o.data ? ' (partial data)' : ''} ${o.errors.map((e) => `${String(e.extensions?.code)}${e.extensions?.retryable === true ? '+retryable' : ''}`).join(',')} retry-after=${o.retryAfter} "${o.errors[0]?.message.slice(0, 80) ?? ''}"`;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  return [...kinds].map(([kind, n]) => `${n} × ${kind}`).join('; ');
}

export function maxMs(outcomes: readonly Outcome[]): number {
  return outcomes.reduce((max, o) => Math.max(max, o.ms), 0);
}
