/**
 * Opens everything that sits on the log: the database (migrated), the event
 * store with the inline projections, and the process's live log feed. The
 * server and the `thrds` command both start here.
 */
import type { Database } from './db/database.ts';
import { migrate, type Migration } from './db/migrate.ts';
import { DEFAULT_DATABASE_URL, openDatabase } from './db/openDatabase.ts';
import { LogFeed, type LogFeedOptions } from './events/logFeed.ts';
import { SqlEventStore, type SqlEventStoreOptions } from './events/sqlEventStore.ts';
import { log } from './observability/log.ts';
import { checkReadDatabaseUrl, ReadReplica } from './db/readReplica.ts';
import { replicaFeedSource } from './events/replicaFeedSource.ts';
import { upcast } from './modules/index.ts';
import { ProjectionEngine } from './projections/projectionEngine.ts';

export interface Thrds {
  readonly db: Database;
  readonly store: SqlEventStore;
  readonly projections: ProjectionEngine;
  readonly feed: LogFeed;
  /** The read replica (DATABASE_READ_URL), when there is one: queries and the feed read it (db/readRouting.ts). */
  readonly replica: ReadReplica | undefined;
  readonly migrationsApplied: readonly Migration[];
  close(): Promise<void>;
}

export interface OpenThrdsOptions {
  readonly databaseUrl?: string;
  /** DATABASE_READ_URL: a replica of that database (MariaDB/MySQL only). */
  readonly readDatabaseUrl?: string;
  /** THRDS_REPLICA_WAIT_MS (db/readReplica.ts). */
  readonly replicaWaitMs?: number;
  /** The deadline of every database operation in ms (THRDS_DB_TIMEOUT_MS). */
  readonly dbTimeoutMs?: number;
  /** Read-only tools: refuse a database that does not exist rather than create it. */
  readonly mustExist?: boolean;
  readonly store?: SqlEventStoreOptions;
  readonly feed?: LogFeedOptions;
}

export async function openThrds(options: OpenThrdsOptions = {}): Promise<Thrds> {
  const databaseUrl = options.databaseUrl ?? DEFAULT_DATABASE_URL;
  if (options.readDatabaseUrl !== undefined) checkReadDatabaseUrl(options.readDatabaseUrl, databaseUrl);
  const db = await openDatabase(databaseUrl, {
    ...(options.dbTimeoutMs !== undefined ? { timeoutMs: options.dbTimeoutMs } : {}),
    ...(options.mustExist ? { mustExist: true } : {}),
  });
  let replica: ReadReplica | undefined;
  try {
    const migrationsApplied = await migrate(db);
    await warnIfNotDurable(db);
    const projections = new ProjectionEngine(db);
    await projections.catchUp();
    const store = new SqlEventStore(db, { upcast, ...options.store, hooks: [projections.inline, ...(options.store?.hooks ?? [])] });
    if (options.readDatabaseUrl !== undefined) {
      replica = await ReadReplica.open(options.readDatabaseUrl, db, options.replicaWaitMs !== undefined ? { waitMs: options.replicaWaitMs } : {});
    }
    // Its own store on the replica's pool, for reads only (nothing is ever appended through it).
    const feedSource = replica ? replicaFeedSource(store, new SqlEventStore(replica.db, { upcast }), replica) : store;
    const feed = await LogFeed.start(feedSource, options.feed);
    return {
      db,
      store,
      projections,
      feed,
      replica,
      migrationsApplied,
      async close() {
        await store.drain();
        await feed.stop();
        await replica?.close();
        await db.close();
      },
    };
  } catch (error) {
    await replica?.close();
    await db.close();
    throw error;
  }
}

/** An acknowledged append must be on disk: say so loudly when the server is configured otherwise. */
async function warnIfNotDurable(db: Database): Promise<void> {
  if (db.dialect !== 'mysql') return;
  const [row] = await db.query<{ flush: number | string }>('SELECT @@innodb_flush_log_at_trx_commit AS flush');
  if (Number(row?.flush) !== 1) {
    log.warn(
      { database: db.displayUrl },
      `innodb_flush_log_at_trx_commit=${String(row?.flush)}: a crash or power cut can lose appends that clients were told about. Set it to 1.`,
    );
  }
}
