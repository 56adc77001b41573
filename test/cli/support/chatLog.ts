/**
 * Writes a small but realistic chat log through the real event store:
 * users, threads, and messages in both MessagePosted schema versions.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '../../../src/db/database.ts';
import type { EventStore } from '../../../src/events/eventStore.ts';
import { streamOf } from '../../../src/events/types.ts';

const meta = (actorId: string | null) => ({ actorId, correlationId: randomUUID(), causationId: null });

export interface ChatLog {
  readonly userIds: string[];
  readonly threadIds: string[];
}

export async function registerUsers(store: EventStore, count: number): Promise<string[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const userId = randomUUID();
      await store.append({
        streamId: streamOf.user(userId),
        events: [{ type: 'UserRegistered', data: { userId, username: `user${i}_${userId.slice(0, 6)}`, displayName: `User ${i}` } }],
        metadata: meta(null),
        expectedVersion: 'no_stream',
      });
      return userId;
    }),
  );
}

export async function createThreads(store: EventStore, authors: readonly string[], count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const threadId = randomUUID();
    await store.append({
      streamId: streamOf.thread(threadId),
      events: [{ type: 'ThreadCreated', data: { threadId, title: `Thread ${i} ✓` } }],
      metadata: meta(authors[i % authors.length]!),
      expectedVersion: 'no_stream',
    });
    ids.push(threadId);
  }
  return ids;
}

/** Posts `count` messages round-robin, `concurrency` at a time; every `v1Every`-th is a stored v1 event (no format). */
export async function postMessages(store: EventStore, log: ChatLog, count: number, options: { concurrency?: number; v1Every?: number } = {}): Promise<void> {
  const concurrency = options.concurrency ?? 20;
  for (let start = 0; start < count; start += concurrency) {
    await Promise.all(
      Array.from({ length: Math.min(concurrency, count - start) }, (_, j) => {
        const n = start + j;
        return postOne(store, log, n, options.v1Every !== undefined && n % options.v1Every === 0);
      }),
    );
  }
}

export function postOne(store: EventStore, log: ChatLog, n: number, v1 = false) {
  const threadId = log.threadIds[n % log.threadIds.length]!;
  const base = { messageId: randomUUID(), threadId, body: `message ${n} — "quoted" \\ ünïcode`, replyToId: null };
  return store.append({
    streamId: streamOf.thread(threadId),
    events: [v1 ? { type: 'MessagePosted', schemaVersion: 1, data: base } : { type: 'MessagePosted', schemaVersion: 2, data: { ...base, format: 'plain' } }],
    metadata: meta(log.userIds[n % log.userIds.length]!),
  });
}

export async function seedChat(store: EventStore, sizes: { users: number; threads: number; messages: number; v1Every?: number }): Promise<ChatLog> {
  const userIds = await registerUsers(store, sizes.users);
  const threadIds = await createThreads(store, userIds, sizes.threads);
  const log = { userIds, threadIds };
  await postMessages(store, log, sizes.messages, sizes.v1Every === undefined ? {} : { v1Every: sizes.v1Every });
  return log;
}

/** Simulates an attacker with DDL rights: lifts the append-only triggers, then runs `sql`. */
export async function tamper(db: Database, ...statements: string[]): Promise<void> {
  await db.exec('DROP TRIGGER events_are_append_only_update');
  await db.exec('DROP TRIGGER events_are_append_only_delete');
  for (const sql of statements) await db.execute(sql);
}

/** Every row of a table, in a stable order, as plain strings (the drivers differ in number types). */
export async function tableRows(db: Database, table: string, order: string): Promise<string[][]> {
  const rows = await db.query<Record<string, unknown>>(`SELECT * FROM ${table} ORDER BY ${order}`);
  return rows.map((r) => Object.keys(r).sort().map((k) => `${k}=${r[k] === null ? 'null' : String(r[k])}`));
}
