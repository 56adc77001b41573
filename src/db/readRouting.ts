/**
 * Which database a GraphQL operation reads (with a read replica). A query
 * reads the replica, unless the replica has not yet applied its session's
 * last write: then it waits for it (bounded), else reads the primary, so a
 * client always sees what it just wrote (read-your-writes). Mutations,
 * subscriptions and everything outside an operation use the primary.
 *
 * The choice is made once per operation and carried by AsyncLocalStorage
 * into every resolver's reads, so resolvers keep reading `services.db` and
 * know nothing of replicas. Sessions' last write positions are kept in this
 * process (sessionPositions.ts) and, with Redis, shared by every instance
 * (sharedSessionPositions.ts), so read-your-writes holds whichever instance
 * a session's next query reaches.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { EventStore } from '../events/eventStore.ts';
import type { Database, Sql } from './database.ts';
import type { ReadReplica } from './readReplica.ts';
import { SessionPositions } from './sessionPositions.ts';
import type { SharedSessionPositions } from './sharedSessionPositions.ts';

const readingFrom = new AsyncLocalStorage<Sql>();

export type OperationKind = 'query' | 'mutation' | 'subscription';

/**
 * `primary` whose reads (`query`, `queryEach`) go where the running
 * operation was routed; writes, transactions and streams stay on the primary.
 */
export function routedDatabase(primary: Database): Database {
  const reader = () => readingFrom.getStore() ?? primary;
  return {
    dialect: primary.dialect,
    timeoutMs: primary.timeoutMs,
    displayUrl: primary.displayUrl,
    forUpdate: primary.forUpdate,
    poolStats: () => primary.poolStats(),
    query: (sql, params) => reader().query(sql, params),
    queryEach: (statements) => reader().queryEach(statements),
    execute: (sql, params) => primary.execute(sql, params),
    batch: (statements) => primary.batch(statements),
    transaction: (fn, options) => primary.transaction(fn, options),
    exec: (script) => primary.exec(script),
    stream: (sql, params, options) => primary.stream(sql, params, options),
    close: () => primary.close(),
  };
}

export class ReadRouting {
  private readonly sessions = new SessionPositions();
  /** The last position this process committed: a mutation's writes are at or below it when it answers. */
  private committed = 0;

  constructor(
    readonly replica: ReadReplica,
    store: Pick<EventStore, 'onCommitted'>,
    /** With Redis: the positions every instance sees. */
    private readonly shared?: SharedSessionPositions,
  ) {
    store.onCommitted((events) => {
      const last = events.at(-1)?.position ?? 0;
      if (last > this.committed) this.committed = last;
      replica.primaryAt(last);
    });
  }

  /** Runs one operation of `kind` for the session `token` (null: anonymous) with its reads routed. */
  async run<T>(kind: OperationKind, token: string | null, operation: () => Promise<T>): Promise<T> {
    if (kind === 'mutation') {
      const result = await operation();
      // At least as far as this session's own appends: the next query must see them.
      if (token) {
        this.sessions.wrote(token, this.committed);
        // Before the answer: the session's next query may reach another instance.
        await this.shared?.wrote(token, this.committed);
      }
      return result;
    }
    if (kind !== 'query') return operation();
    let position = token ? this.sessions.lastWrite(token) : 0;
    if (token && this.shared) {
      const shared = await this.shared.lastWrite(token);
      if (shared === undefined) {
        // Where this session last wrote is unknown (Redis did not answer): the primary has every write.
        this.replica.count('query', false);
        return operation();
      }
      position = Math.max(position, shared);
    }
    const reader = await this.replica.readerFor(position);
    return reader ? readingFrom.run(reader, operation) : operation();
  }
}
