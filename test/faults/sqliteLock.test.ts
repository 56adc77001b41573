/**
 * SQLite busy: another process holds the write lock (BEGIN IMMEDIATE) for
 * 6 s under 4 writers and a reader. Before issue 10, better-sqlite3's
 * synchronous busy wait froze the whole process for the length of the lock.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { ServerProcess } from '../support/serverProcess.ts';
import { SqliteLockHolder, sqlitePath } from '../support/sqliteLockHolder.ts';
import { DEADLINE_MS, faultEnv } from './support/faultEnv.ts';
import { expectOutageHandled, runOutage } from './support/outage.ts';

describe('the SQLite write lock held by another process', () => {
  let database: TestDatabase;
  let server: ServerProcess | undefined;
  let holder: SqliteLockHolder | undefined;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    server = await ServerProcess.start({ databaseUrl: database.url, env: faultEnv });
  });
  afterAll(async () => {
    holder?.kill();
    await server?.stop();
    await database?.drop();
  });

  it('does not freeze the event loop, fails writes UNAVAILABLE within the deadline, and recovers when the lock is released', async () => {
    const result = await runOutage({
      server: server!,
      storeUrl: database.url,
      fault: {
        name: 'sqlite-lock',
        inject: async () => {
          // Longer than the outage: released by the test, not by its timer.
          holder = await SqliteLockHolder.hold(sqlitePath(database.url), 30_000);
        },
        lift: () => holder?.release(),
      },
      outageMs: 6000,
    });
    expectOutageHandled(result, { deadlineMs: DEADLINE_MS, writesFail: true, readiness: true, maxLogLines: 40 });
  }, 90_000);
});
