/**
 * bots: one row per bot ever added (issue 15), with its character card.
 * BotAdded inserts it; BotCardChanged replaces its card and display name
 * (and brings a removed bot back); BotRemoved sets removed_at. The bot's
 * user row stays in `users` throughout: its messages keep their author.
 */
import type { Statement } from '../db/database.ts';
import { valuesList } from '../db/sqlFragments.ts';
import { canonicalJson } from '../events/canonicalJson.ts';
import type { StoredEvent } from '../events/types.ts';
import { evolveReadModel } from '../modules/index.ts';
import type { BotRow, CharacterCard } from '../bots/types.ts';
import { type Projection, projection, tableName } from './projection.ts';

export type { BotRow };

/** What may change about a bot once added. */
export interface BotPatch {
  readonly displayName?: string;
  readonly card?: CharacterCard;
  readonly removedAt?: number | null;
}

/** What a run of events does to the bots table: the event modules' `bots` steps fill it in. */
export class BotChanges {
  /** Bots added by these events, with what followed folded in. */
  readonly created = new Map<string, BotRow>();
  /** Changes to bots added before these events. */
  readonly patched = new Map<string, BotPatch>();

  add(row: BotRow): void {
    this.created.set(row.id, row);
  }

  change(botId: string, patch: BotPatch): void {
    const fresh = this.created.get(botId);
    if (fresh) this.created.set(botId, { ...fresh, ...patch });
    else this.patched.set(botId, { ...this.patched.get(botId), ...patch });
  }
}

export function evolveBots(events: readonly StoredEvent[]): BotChanges {
  return evolveReadModel('bots', new BotChanges(), events);
}

export const botsProjection: Projection = projection('bots', (events, table = 'bots') => {
  const { created, patched } = evolveBots(events);
  const bots = tableName(table);
  const statements: Statement[] = [];
  if (created.size > 0) {
    const rows = [...created.values()];
    statements.push({
      sql: `INSERT INTO ${bots} (id, username, display_name, card, added_at, position, removed_at) VALUES ${valuesList(7, rows.length)}`,
      params: rows.flatMap((r) => [r.id, r.username, r.displayName, canonicalJson(r.card), r.addedAt, r.position, r.removedAt]),
    });
  }
  // Bots change when an operator runs `thrds bot add/remove`: one statement per bot changed is plenty.
  for (const [id, patch] of patched) {
    const set = [
      ...(patch.displayName !== undefined ? [['display_name', patch.displayName] as const] : []),
      ...(patch.card !== undefined ? [['card', canonicalJson(patch.card)] as const] : []),
      ...(patch.removedAt !== undefined ? [['removed_at', patch.removedAt] as const] : []),
    ];
    if (set.length === 0) continue;
    statements.push({ sql: `UPDATE ${bots} SET ${set.map(([column]) => `${column} = ?`).join(', ')} WHERE id = ?`, params: [...set.map(([, value]) => value), id] });
  }
  return statements;
});
