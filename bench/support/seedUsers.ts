/**
 * Many signed-in users for the issue 13 benches: each a UserRegistered
 * event with its credentials row (as `register` writes them, in one
 * transaction) and a live session, written through the event store with
 * the inline projections. Registering through the API would cost a
 * deliberate ~135 ms scrypt hash per user (over a minute for 1,000 users
 * at two hashes at a time) and measure nothing these benches are about.
 */
import { randomUUID } from 'node:crypto';
import { insertSession } from '../../src/accounts/sessionRows.ts';
import { DUMMY_HASH } from '../../src/accounts/passwords.ts';
import { streamOf } from '../../src/events/types.ts';
import { newEvent } from '../../src/modules/eventModule.ts';
import { userRegistered } from '../../src/modules/userRegistered.ts';
import { openThrds } from '../../src/openThrds.ts';
import { protectionFromEnv } from '../../src/protection/protectionConfig.ts';

export interface SeededUser {
  readonly userId: string;
  readonly username: string;
  /** A bearer token of a live session. */
  readonly token: string;
}

/** Registers `count` users named `<prefix><i>` in the (created and migrated) database at `databaseUrl`, `concurrency` at a time. */
export async function seedUsers(databaseUrl: string, prefix: string, count: number, concurrency = 16): Promise<SeededUser[]> {
  const thrds = await openThrds({ databaseUrl });
  const policy = protectionFromEnv({});
  const users: SeededUser[] = new Array<SeededUser>(count);
  try {
    let next = 0;
    const one = async (i: number) => {
      const userId = randomUUID();
      const username = `${prefix}${i}`;
      const now = Date.now();
      await thrds.store.append({
        streamId: streamOf.user(userId),
        events: [newEvent(userRegistered, { userId, username, displayName: username, role: 'MEMBER' })],
        metadata: { actorId: userId, correlationId: 'bench-seed', causationId: null },
        expectedVersion: 'no_stream',
        withinTransaction: async (tx) => {
          // No one signs in with a password here: the dummy hash never verifies.
          await tx.execute('INSERT INTO credentials (user_id, username, password_hash, created_at) VALUES (?, ?, ?, ?)', [userId, username, DUMMY_HASH, now]);
        },
      });
      const { token } = await insertSession(thrds.db, policy, userId, now);
      users[i] = { userId, username, token };
    };
    await Promise.all(
      Array.from({ length: Math.min(concurrency, count) }, async () => {
        while (next < count) await one(next++);
      }),
    );
    return users;
  } finally {
    await thrds.close();
  }
}
