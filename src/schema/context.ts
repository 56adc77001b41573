/** The GraphQL context: who is asking, and the services resolvers may use. */
import type { CommandDeps } from '../modules/commandDeps.ts';
import type { LogFeed } from '../events/logFeed.ts';
import type { MessageRow } from '../projections/messagesProjection.ts';
import type { ThreadRow } from '../projections/threadsProjection.ts';
import type { UserRow } from '../projections/usersProjection.ts';
import type { SessionCache } from '../accounts/sessions.ts';
import { messagesByIds } from '../projections/messagesQueries.ts';
import { threadsByIds } from '../projections/threadsQueries.ts';
import { avatarsByIds, type UserAvatar } from '../projections/usersQueries.ts';
import type { ProtectionConfig } from '../protection/protectionConfig.ts';
import type { ThreadUpdates } from '../unread/threadUpdates.ts';
import type { Attachments } from '../attachments/attachments.ts';
import type { PresenceConnection, PresenceService, TypingService } from '../presence/presenceTypes.ts';
import type { BotDrafts } from '../bots/types.ts';
import { MAX_REQUEST_ID, requestIdFrom } from '../observability/requestId.ts';
import { createLoader, type Loader } from './loader.ts';
import type { ReadRouting } from '../db/readRouting.ts';

export interface Services extends CommandDeps {
  readonly feed: LogFeed;
  readonly sessions: SessionCache;
  readonly protection: ProtectionConfig;
  /** Who is online (ephemeral, never in the log): src/presence. */
  readonly presence: PresenceService;
  /** Who is typing where (ephemeral): src/presence. */
  readonly typing: TypingService;
  /** What changed in which thread, and the viewer's read-marker moves (`myThreads`): src/unread. */
  readonly threadUpdates: ThreadUpdates;
  /** The file store, the upload limits and the image queue: src/attachments. */
  readonly attachments: Attachments;
  /** Bots' replies while the model writes them (ephemeral, on `threadEvents`): src/bots. */
  readonly botDrafts: BotDrafts;
  /** With a read replica: where each operation reads (db/readRouting.ts). */
  readonly reads?: ReadRouting | undefined;
}

/** What a transport knows about the request an operation came with. */
export interface RequestInfo {
  /** The bearer token sent with the request, if any. */
  readonly token: string | null;
  /** At most 64 printable ASCII characters (see correlationIdFrom). */
  readonly correlationId: string;
  /** Where it came from (protection/clientAddress.ts), for per-address limits. */
  readonly clientAddress: string;
  /**
   * The presence of the connection the operation runs on, when it is a
   * WebSocket (held from its acknowledgement to its close). Absent over
   * HTTP and SSE: an SSE stream is its own connection (schema/presenceHold.ts).
   */
  readonly presence?: PresenceConnection;
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
  /** The WebSocket's presence, when the operation runs on one (RequestInfo.presence). */
  readonly presence: PresenceConnection | undefined;
  readonly loaders: {
    readonly users: Loader<UserRow>;
    readonly threads: Loader<ThreadRow>;
    readonly messages: Loader<MessageRow>;
    /** Users' avatars now (they change: never from the process's ReadCache). */
    readonly avatars: Loader<UserAvatar>;
  };
}

/**
 * Where the loaders find threads and messages: the database for queries and
 * mutations; for fan-out, rows held in memory and moved on by the log feed
 * (realtime/liveRows.ts), so delivering an event reads nothing.
 */
export interface RowSource {
  threadsByIds(ids: readonly string[]): Promise<ThreadRow[]>;
  messagesByIds(ids: readonly string[]): Promise<MessageRow[]>;
  avatarsByIds(ids: readonly string[]): Promise<UserAvatar[]>;
}

function databaseRows(services: Services): RowSource {
  return {
    threadsByIds: (ids) => threadsByIds(services.db, ids),
    messagesByIds: (ids) => messagesByIds(services.db, ids),
    avatarsByIds: (ids) => avatarsByIds(services.db, ids),
  };
}

/**
 * The one context factory: a context for one request (HTTP, SSE) or one
 * operation (WebSocket), from what its transport knows. Every door calls it
 * through src/graphql/execution.ts (yoga through its `context` option).
 */
export function createContext(services: Services, { token, correlationId, clientAddress, presence }: RequestInfo, rows: RowSource = databaseRows(services)): Context {
  let viewer: Promise<UserRow | null> | undefined;
  const loaders = {
    users: createLoader((ids) => services.readCache.usersByIds(ids)),
    threads: createLoader((ids) => rows.threadsByIds(ids)),
    messages: createLoader((ids) => rows.messagesByIds(ids)),
    avatars: createLoader((ids) => rows.avatarsByIds(ids)),
  };
  return {
    services,
    token,
    correlationId,
    clientAddress,
    presence,
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
