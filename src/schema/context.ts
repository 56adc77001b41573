/** The GraphQL context: who is asking, and the services resolvers may use. */
import type { CommandDeps } from '../modules/commandDeps.ts';
import type { LogFeed } from '../events/logFeed.ts';
import type { MessageRow } from '../projections/messagesProjection.ts';
import type { ThreadRow } from '../projections/threadsProjection.ts';
import type { UserRow } from '../projections/usersProjection.ts';
import type { SessionCache } from '../accounts/sessions.ts';
import { messagesByIds } from '../projections/messagesQueries.ts';
import { threadsByIds } from '../projections/threadsQueries.ts';
import type { ProtectionConfig } from '../protection/protectionConfig.ts';
import { MAX_REQUEST_ID, requestIdFrom } from '../observability/requestId.ts';
import { createLoader, type Loader } from './loader.ts';

export interface Services extends CommandDeps {
  readonly feed: LogFeed;
  readonly sessions: SessionCache;
  readonly protection: ProtectionConfig;
}

/** What a transport knows about the request an operation came with. */
export interface RequestInfo {
  /** The bearer token sent with the request, if any. */
  readonly token: string | null;
  /** At most 64 printable ASCII characters (see correlationIdFrom). */
  readonly correlationId: string;
  /** Where it came from (protection/clientAddress.ts), for per-address limits. */
  readonly clientAddress: string;
}

export const MAX_CORRELATION_ID = MAX_REQUEST_ID;

/** A client's request id when it is 1–64 printable ASCII characters; otherwise a fresh one (observability/requestId.ts). */
export function correlationIdFrom(value: string | null | undefined, fresh: () => string): string {
  return requestIdFrom(value, fresh);
}

export interface Context {
  readonly services: Services;
  /** The bearer token sent with the request, if any. */
  readonly token: string | null;
  /** The signed-in user (looked up once, on first use), or null. */
  viewer(): Promise<UserRow | null>;
  readonly correlationId: string;
  readonly clientAddress: string;
  readonly loaders: {
    readonly users: Loader<UserRow>;
    readonly threads: Loader<ThreadRow>;
    readonly messages: Loader<MessageRow>;
  };
}

/** A context for one request (HTTP) or one operation (WebSocket). */
export function createContext(services: Services, { token, correlationId, clientAddress }: RequestInfo): Context {
  let viewer: Promise<UserRow | null> | undefined;
  const loaders = {
    users: createLoader((ids) => services.readCache.usersByIds(ids)),
    threads: createLoader((ids) => threadsByIds(services.db, ids)),
    messages: createLoader((ids) => messagesByIds(services.db, ids)),
  };
  return {
    services,
    token,
    correlationId,
    clientAddress,
    loaders,
    viewer() {
      viewer ??= (async () => {
        if (!token) return null;
        const userId = await services.sessions.userIdFor(token, services.clock());
        return userId ? loaders.users(userId) : null;
      })();
      return viewer;
    },
  };
}
