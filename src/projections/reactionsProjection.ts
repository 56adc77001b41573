/**
 * reactions: one row per message, emoji and user, at the position of the
 * ReactionAdded that made it (ReactionAdded adds it, ReactionRemoved takes
 * it away, MessageDeleted clears the message's).
 *
 * Two adds of one reaction can race past the rule that refuses the second
 * (both read "not there yet", both append), and so can two removes: the
 * writes tolerate both, the first add's row and position stay, and a rebuild
 * folds the same log to the same rows. The projection knows only its table,
 * not the dialect, so "insert unless present" is an INSERT … SELECT … WHERE
 * NOT EXISTS, which SQLite and MariaDB both take.
 */
import type { Statement } from '../db/database.ts';
import { inList } from '../db/sqlFragments.ts';
import type { StoredEvent } from '../events/types.ts';
import { evolveReadModel } from '../modules/index.ts';
import { type Projection, projection, tableName } from './projection.ts';

export interface ReactionRow {
  readonly messageId: string;
  readonly emoji: string;
  readonly userId: string;
  /** Position of the ReactionAdded. */
  readonly position: number;
}

export type ReactionKey = Omit<ReactionRow, 'position'>;

export type ReactionChange =
  | { readonly kind: 'add'; readonly row: ReactionRow }
  | { readonly kind: 'remove'; readonly key: ReactionKey }
  | { readonly kind: 'clear'; readonly messageId: string };

/** What a run of events does to the reactions table, in order: the event modules' `reactions` steps fill it in. */
export class ReactionChanges {
  readonly changes: ReactionChange[] = [];

  add(row: ReactionRow): void {
    this.changes.push({ kind: 'add', row });
  }

  remove(key: ReactionKey): void {
    this.changes.push({ kind: 'remove', key });
  }

  /** Every reaction on the message goes (it was deleted). */
  clear(messageId: string): void {
    this.changes.push({ kind: 'clear', messageId });
  }
}

export function evolveReactions(events: readonly StoredEvent[]): ReactionChanges {
  return evolveReadModel('reactions', new ReactionChanges(), events);
}

/** Rows per statement: SQLite caps a compound SELECT at 500 terms. */
const CHUNK = 200;

const keyOf = (key: ReactionKey): string => JSON.stringify([key.messageId, key.emoji, key.userId]);

export const reactionsProjection: Projection = projection('reactions', (events, table = 'reactions') => reactionStatements(evolveReactions(events).changes, tableName(table)));

/**
 * The changes as SQL, in their order; a run of changes of one kind is one
 * statement per CHUNK rows (a rebuild folds pages of 25,000 events).
 */
export function reactionStatements(changes: readonly ReactionChange[], table: string): Statement[] {
  const statements: Statement[] = [];
  for (let start = 0; start < changes.length; ) {
    const kind = changes[start]!.kind;
    let end = start;
    while (end < changes.length && changes[end]!.kind === kind && end - start < CHUNK) end += 1;
    const run = changes.slice(start, end);
    statements.push(runStatement(run, table));
    start = end;
  }
  return statements;
}

function runStatement(run: readonly ReactionChange[], table: string): Statement {
  const adds = run.flatMap((change) => (change.kind === 'add' ? [change.row] : []));
  if (adds.length > 0) return insertUnlessPresent(adds, table);
  const cleared = run.flatMap((change) => (change.kind === 'clear' ? [change.messageId] : []));
  if (cleared.length > 0) return { sql: `DELETE FROM ${table} WHERE message_id IN (${inList(cleared)})`, params: cleared };
  const removed = run.flatMap((change) => (change.kind === 'remove' ? [change.key] : []));
  return {
    sql: `DELETE FROM ${table} WHERE ${removed.map(() => '(message_id = ? AND emoji = ? AND user_id = ?)').join(' OR ')}`,
    params: removed.flatMap((key) => [key.messageId, key.emoji, key.userId]),
  };
}

/** Rows not already in the table; of two adds of one reaction in the run, the first. */
function insertUnlessPresent(rows: readonly ReactionRow[], table: string): Statement {
  const first = new Map<string, ReactionRow>();
  for (const row of rows) if (!first.has(keyOf(row))) first.set(keyOf(row), row);
  const fresh = [...first.values()];
  const values = fresh.map((_, i) => (i === 0 ? 'SELECT ? AS message_id, ? AS emoji, ? AS user_id, ? AS position' : 'SELECT ?, ?, ?, ?')).join(' UNION ALL ');
  return {
    sql:
      `INSERT INTO ${table} (message_id, emoji, user_id, position) SELECT v.message_id, v.emoji, v.user_id, v.position FROM (${values}) v ` +
      `WHERE NOT EXISTS (SELECT 1 FROM ${table} r WHERE r.message_id = v.message_id AND r.emoji = v.emoji AND r.user_id = v.user_id)`,
    params: fresh.flatMap((row) => [row.messageId, row.emoji, row.userId, row.position]),
  };
}
