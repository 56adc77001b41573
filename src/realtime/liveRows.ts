/**
 * The read-model rows fan-out resolves events against, held in memory and
 * moved on by the log feed: a subscriber's selection that reaches past the
 * event (`message { thread { messageCount } }`, `replyTo { body }`,
 * `ThreadRenamed.thread`) costs one read the first time a thread or message
 * is asked for, and none for every later event. Queries keep reading the
 * database through their loaders.
 *
 * Each thread row carries the position of the latest event folded into it,
 * so an event is applied once whichever came first, the feed or a read of
 * the row. A message row does not (its position is where it was posted):
 * one the feed created follows its edits and deletion in log order; one read
 * from the database may already reflect a later change than the feed has
 * delivered, so a change to it lets it go, and the next ask reads it again.
 *
 * Users' avatars (`author { avatarUrl }`) are held the same way: the feed
 * sets a user's avatar whenever a UserAvatarChanged passes, held or not, and
 * a read from the database never replaces what the feed set (the feed is
 * never behind a row it has set).
 */
import type { Sql } from '../db/database.ts';
import type { LogFeed } from '../events/logFeed.ts';
import type { StoredEvent } from '../events/types.ts';
import { evolveMessages, type MessageRow, patchedMessage } from '../projections/messagesProjection.ts';
import { messagesByIds } from '../projections/messagesQueries.ts';
import { evolveThreads, patchedRow, type ThreadRow } from '../projections/threadsProjection.ts';
import { threadsByIds } from '../projections/threadsQueries.ts';
import { evolveUserChanges } from '../projections/usersProjection.ts';
import { avatarsByIds, type UserAvatar } from '../projections/usersQueries.ts';

/** A Map that forgets its least recently set entries past `max`. */
class Recent<V> extends Map<string, V> {
  constructor(private readonly max: number) {
    super();
  }

  override set(key: string, value: V): this {
    this.delete(key);
    if (this.size >= this.max) this.delete(this.keys().next().value as string);
    return super.set(key, value);
  }
}

export interface LiveRowsOptions {
  /** Threads held at most (default 10,000). */
  readonly threads?: number;
  /** Recent messages held at most (default 20,000). */
  readonly messages?: number;
  /** Users' avatars held at most (default 50,000). */
  readonly avatars?: number;
}

interface HeldMessage {
  readonly row: MessageRow;
  /** Folded from the feed since it was posted: exactly as of the feed's position. */
  readonly fed: boolean;
}

export class LiveRows {
  private readonly threads: Recent<ThreadRow>;
  private readonly messages: Recent<HeldMessage>;
  private readonly avatars: Recent<UserAvatar>;
  /** Rows read from the database, since start (metrics, tests). */
  reads = 0;
  readonly stop: () => void;

  constructor(
    private readonly db: Sql,
    feed: Pick<LogFeed, 'onAdvance'>,
    options: LiveRowsOptions = {},
  ) {
    this.threads = new Recent(options.threads ?? 10_000);
    this.messages = new Recent(options.messages ?? 20_000);
    this.avatars = new Recent(options.avatars ?? 50_000);
    this.stop = feed.onAdvance((events) => this.advance(events));
  }

  /** Folds committed events into the rows held (and holds the messages and threads they create). */
  advance(events: readonly StoredEvent[]): void {
    for (const event of events) {
      const messages = evolveMessages([event]);
      for (const message of messages.posted.values()) this.messages.set(message.id, { row: message, fed: true });
      for (const [id, patch] of messages.patched) {
        const held = this.messages.get(id);
        if (held?.fed) this.messages.set(id, { row: patchedMessage(held.row, patch), fed: true });
        else if (held) this.messages.delete(id);
      }
      const { created, patched } = evolveThreads([event]);
      for (const thread of created.values()) this.keepThread(thread);
      for (const [id, patch] of patched) {
        const held = this.threads.get(id);
        if (held && patch.position > held.position) this.threads.set(id, patchedRow(held, patch));
      }
      const users = evolveUserChanges([event]);
      for (const user of users.created.values()) this.avatars.set(user.id, { id: user.id, avatar: user.avatar ?? null });
      for (const [id, patch] of users.patched) if (patch.avatar !== undefined) this.avatars.set(id, { id, avatar: patch.avatar });
    }
  }

  async avatarsByIds(ids: readonly string[]): Promise<UserAvatar[]> {
    const missing = ids.filter((id) => !this.avatars.has(id));
    if (missing.length > 0) {
      this.reads += 1;
      for (const user of await avatarsByIds(this.db, missing)) if (!this.avatars.has(user.id)) this.avatars.set(user.id, user);
    }
    return ids.flatMap((id) => this.avatars.get(id) ?? []);
  }

  async threadsByIds(ids: readonly string[]): Promise<ThreadRow[]> {
    const missing = ids.filter((id) => !this.threads.has(id));
    if (missing.length > 0) {
      this.reads += 1;
      for (const thread of await threadsByIds(this.db, missing)) this.keepThread(thread);
    }
    return ids.flatMap((id) => this.threads.get(id) ?? []);
  }

  async messagesByIds(ids: readonly string[]): Promise<MessageRow[]> {
    const missing = ids.filter((id) => !this.messages.has(id));
    if (missing.length > 0) {
      this.reads += 1;
      for (const message of await messagesByIds(this.db, missing)) if (!this.messages.has(message.id)) this.messages.set(message.id, { row: message, fed: false });
    }
    return ids.flatMap((id) => this.messages.get(id)?.row ?? []);
  }

  /** A row read before the feed delivered an event it already reflects (or after) keeps the later of the two. */
  private keepThread(thread: ThreadRow): void {
    const held = this.threads.get(thread.id);
    if (!held || thread.position > held.position) this.threads.set(thread.id, thread);
  }
}
