/**
 * A real server whose store already holds one long thread, seeded the fast
 * way: a synthetic chained log of `count` messages (bench/logTools) written
 * straight into the events table, which the server's projections catch up
 * on as it starts. Thousands of messages in seconds, not thousands of posts.
 * Every message is "Message <n>: …" by the synthetic "User 0", one second
 * apart; `messageId(k)` is the id of the k-th message (0 = the oldest).
 */
import { openDatabase } from '../../../src/db/openDatabase.ts';
import { migrate } from '../../../src/db/migrate.ts';
import { BULK_TIMEOUT_MS } from '../../../src/db/deadline.ts';
import { seedLog } from '../../../bench/logTools/seedLog.ts';
import { uuid } from '../../../bench/logTools/syntheticLog.ts';
import { createTestDatabase } from '../../support/databases.ts';
import { startWebServer, type WebServer } from './webServer.ts';

/** The synthetic log's shape: two users, then one thread, then its messages. */
const users = 2;

export const longThreadId = uuid(3, 0);

/** The k-th message of the seeded thread (0 = the oldest); its body starts with `Message <k + 3>:`. */
export const messageId = (k: number): string => uuid(4, users + 1 + k);
export const messageText = (k: number): string => `Message ${users + 1 + k}:`;

export async function startServerWithLongThread(count: number): Promise<WebServer> {
  const store = await createTestDatabase('sqlite');
  const db = await openDatabase(store.url, { timeoutMs: BULK_TIMEOUT_MS });
  try {
    await migrate(db);
    await seedLog(db, users + 1 + count, { users, threads: 1 });
  } finally {
    await db.close();
  }
  const server = await startWebServer({ databaseUrl: store.url });
  return {
    ...server,
    async stop() {
      await server.stop();
      await store.drop();
    },
  };
}
