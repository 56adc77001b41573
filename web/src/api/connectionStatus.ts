/**
 * The live connection's state as a tiny external store, read by React through
 * `useSyncExternalStore`. What it shows joins two witnesses: the socket (live
 * updates) and HTTP (queries and mutations), because a socket can be up while
 * every POST is refused, and a page loaded while the server is down has only
 * failed requests to go by (see `connectionState`).
 */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'trouble';

/** What the socket says about itself. */
export type SocketState = 'connecting' | 'live' | 'reconnecting' | 'offline';

/** What the last HTTP answer said: nothing yet or fine, no answer at all, or a 5xx. */
export type HttpHealth = 'ok' | 'unreachable' | 'failing';

/**
 * The state to show. The browser saying offline wins; HTTP that reaches no
 * server while the socket is not live either means the server is out of reach
 * ("Offline", not an endless "Reconnecting…"); a live socket with HTTP answered
 * by 5xx is "Server trouble", never "Live". One request that got no answer
 * while the socket is live says less about the server than the socket does
 * (the request waits in the outbox and goes again): still "Live".
 */
export function connectionState(socket: SocketState, http: HttpHealth): ConnectionState {
  if (socket === 'offline') return 'offline';
  if (socket === 'live') return http === 'failing' ? 'trouble' : 'live';
  return http === 'unreachable' ? 'offline' : socket;
}

export interface ConnectionStatus {
  get(): ConnectionState;
  /** The socket's own state. */
  set(state: SocketState): void;
  /** The outcome of the latest HTTP request. */
  setHttp(health: HttpHealth): void;
  http(): HttpHealth;
  subscribe(listener: () => void): () => void;
}

export function createConnectionStatus(initial: SocketState = 'connecting'): ConnectionStatus {
  let socket = initial;
  let http: HttpHealth = 'ok';
  let state = connectionState(socket, http);
  const listeners = new Set<() => void>();
  const update = () => {
    const next = connectionState(socket, http);
    if (next === state) return;
    state = next;
    for (const listener of [...listeners]) listener();
  };
  return {
    get: () => state,
    set(next) {
      socket = next;
      update();
    },
    setHttp(next) {
      http = next;
      update();
    },
    http: () => http,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
