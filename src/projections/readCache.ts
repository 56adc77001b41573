/**
 * Process-wide memory of read-model facts that, once true, stay true: a
 * person's row (people never change; a bot's name follows its card, so bots are read fresh) and that a thread exists (threads are
 * never removed). The hot path of a post (who is posting, does the thread
 * exist) then costs no query after the first time.
 */
import type { Sql } from '../db/database.ts';
import { threadExists } from './threadsQueries.ts';
import type { UserRow } from './usersProjection.ts';
import { usersByIds } from './usersQueries.ts';

/** A Map that forgets its oldest entries past `max`. */
class Bounded<K, V> extends Map<K, V> {
  constructor(private readonly max: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.max) this.delete(this.keys().next().value as K);
    return super.set(key, value);
  }
}

export class ReadCache {
  private readonly users = new Bounded<string, UserRow>(50_000);
  private readonly threads = new Bounded<string, true>(200_000);

  constructor(private readonly db: Sql) {}

  async usersByIds(ids: readonly string[]): Promise<UserRow[]> {
    const missing = ids.filter((id) => !this.users.has(id));
    const read = new Map<string, UserRow>();
    if (missing.length > 0) {
      for (const user of await usersByIds(this.db, missing)) {
        read.set(user.id, user);
        // A bot's display name follows its card (BotCardChanged): read fresh each time. Bots are few.
        if (!user.isBot) this.users.set(user.id, user);
      }
    }
    return ids.flatMap((id) => this.users.get(id) ?? read.get(id) ?? []);
  }

  async threadExists(id: string): Promise<boolean> {
    if (this.threads.has(id)) return true;
    const exists = await threadExists(this.db, id);
    if (exists) this.threads.set(id, true);
    return exists;
  }
}
