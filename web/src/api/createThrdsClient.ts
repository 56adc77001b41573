/**
 * One urql client per signed-in session: queries and mutations over HTTP,
 * subscriptions over one graphql-ws socket that retries for ever. Both drive
 * the connection indicator: the socket's state, and every HTTP answer (a
 * failing HTTP side is probed with a trivial query until it is answered, so
 * the indicator recovers even when nothing else is asked meanwhile).
 */
import { Client, fetchExchange, subscriptionExchange, type ExecutionResult } from '@urql/core';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { createConnectionStatus, type ConnectionStatus, type HttpHealth } from './connectionStatus.ts';
import { createTrackedFetch } from './trackedFetch.ts';
import { withLiveAfter, type ResumeCursor } from './resumeCursor.ts';

export interface ThrdsClient {
  readonly client: Client;
  readonly status: ConnectionStatus;
  dispose(): void;
}

export interface ThrdsClientOptions {
  readonly token: string | null;
  /** The socket was refused for bad credentials (close code 4401/4403). */
  readonly onUnauthorized?: () => void;
}

const graphqlPath = '/graphql';
const pingEveryMs = 10_000;
const pongWithinMs = 5_000;
const offlineRecheckMs = 30_000;
/**
 * The probe takes the very path that failed (a POST to /graphql: origin policy, limits, yoga), not
 * /readyz, which can say ready while every POST is refused; `__typename` reads nothing from the store.
 */
const probeRequest: RequestInit = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'query Probe { __typename }', operationName: 'Probe' }), cache: 'no-store' };

export function createThrdsClient({ token, onUnauthorized }: ThrdsClientOptions): ThrdsClient {
  const status = createConnectionStatus(navigator.onLine ? 'connecting' : 'offline');
  const wake = createWakeUp();
  let pongTimer: ReturnType<typeof setTimeout> | undefined;
  let probeTimer: ReturnType<typeof setTimeout> | undefined;
  let probes = 0;
  let disposed = false;
  const trackedFetch = createTrackedFetch((health) => reportHttp(health));
  const reportHttp = (health: HttpHealth) => {
    status.setHttp(health);
    // The backoff is not reset by a good answer: one operation refused again and again between good
    // ones would otherwise be probed (and every reload it triggers repeated) twice a second for ever.
    if (health !== 'ok') scheduleProbe();
  };
  // Asks the server whether it is ready again, with the socket's backoff, for as long as HTTP is unhealthy.
  // From 2–4 s: a failed request is retried by its own means first (the outbox, the load retries); the probe is for the indicator.
  const scheduleProbe = (delayMs = backoffMs(probes + 3)) => {
    if (probeTimer !== undefined || disposed) return;
    probeTimer = setTimeout(() => {
      probeTimer = undefined;
      if (disposed || status.http() === 'ok') return;
      probes += 1;
      // Its outcome is what matters, and the tracked fetch has reported it already.
      trackedFetch(graphqlPath, probeRequest).catch(() => undefined);
    }, delayMs);
  };
  /** Something says the server may be back (the socket connected, the browser is online): ask now, not after the backoff. */
  const probeNow = () => {
    if (status.http() === 'ok') return;
    clearTimeout(probeTimer);
    probeTimer = undefined;
    probes = 0;
    scheduleProbe(0);
  };

  const ws: WsClient = createWsClient({
    url: () => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${graphqlPath}`,
    connectionParams: () => (token ? { authorization: `Bearer ${token}` } : {}),
    lazy: false,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    // While the browser knows it is offline, trying is pointless: wait for `online` (or a long while, in case it never says).
    retryWait: (retries) => wake.sleep(navigator.onLine ? backoffMs(retries) : offlineRecheckMs),
    keepAlive: pingEveryMs,
    onNonLazyError: (error) => {
      if (isCloseWithCode(error, 4401) || isCloseWithCode(error, 4403)) onUnauthorized?.();
    },
    on: {
      connecting: (reconnecting) => status.set(navigator.onLine ? (reconnecting ? 'reconnecting' : 'connecting') : 'offline'),
      connected: () => {
        status.set('live');
        probeNow();
      },
      closed: (event) => {
        clearTimeout(pongTimer);
        status.set(navigator.onLine ? 'reconnecting' : 'offline');
        // The server refuses a revoked or expired token with 4403 (4401 before init): sign out rather than retry for ever.
        if (isCloseWithCode(event, 4401) || isCloseWithCode(event, 4403)) onUnauthorized?.();
      },
      // A socket can die without a close frame (sleep, network switch); no pong means it is gone.
      ping: (received) => {
        if (received) return;
        pongTimer = setTimeout(() => ws.terminate(), pongWithinMs);
      },
      pong: (received) => {
        if (received) clearTimeout(pongTimer);
      },
    },
  });

  const goneOffline = () => {
    status.set('offline');
    ws.terminate();
  };
  const backOnline = () => {
    status.set('reconnecting');
    wake.now();
    probeNow();
  };
  window.addEventListener('offline', goneOffline);
  window.addEventListener('online', backOnline);

  const client = new Client({
    url: graphqlPath,
    preferGetMethod: false,
    requestPolicy: 'network-only',
    fetch: trackedFetch,
    fetchOptions: () => (token ? { headers: { authorization: `Bearer ${token}` } } : {}),
    exchanges: [
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request, operation) {
          const resume = operation.context['resume'] as ResumeCursor | undefined;
          const payload = {
            query: request.query ?? '',
            variables: resume ? withLiveAfter(request.variables, resume) : (request.variables ?? {}),
            ...(request.operationName ? { operationName: request.operationName } : {}),
          };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(payload, {
                next: (result) => sink.next(result as ExecutionResult),
                error: (error) => sink.error(error),
                complete: () => sink.complete(),
              });
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });

  return {
    client,
    status,
    dispose() {
      window.removeEventListener('offline', goneOffline);
      window.removeEventListener('online', backOnline);
      clearTimeout(pongTimer);
      clearTimeout(probeTimer);
      disposed = true;
      wake.now();
      void ws.dispose();
    },
  };
}

/** 0.5 s, 1 s, 2 s … capped at 15 s, with jitter so clients do not reconnect in lockstep. */
function backoffMs(retries: number): number {
  const base = Math.min(15_000, 500 * 2 ** retries);
  return base / 2 + Math.random() * (base / 2);
}

function isCloseWithCode(value: unknown, code: number): boolean {
  return typeof value === 'object' && value !== null && 'code' in value && value.code === code;
}

/** A sleep that the browser coming back online can cut short. */
function createWakeUp() {
  const waiting = new Set<() => void>();
  return {
    sleep(ms: number): Promise<void> {
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          waiting.delete(done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        waiting.add(done);
      });
    },
    now() {
      for (const done of [...waiting]) done();
    },
  };
}
