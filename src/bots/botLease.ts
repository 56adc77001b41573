/**
 * Which instance runs a bot: a lease row per bot in `bot_leases` (holder,
 * expires_at in epoch ms). The holder renews it well before it expires; an
 * expired lease may be taken by anyone, so a dead holder is replaced within
 * one lease time plus one look. Two instances that race for a free lease
 * both try the same conditional UPDATE (or the same INSERT): the database
 * lets exactly one of them win. The lease only decides who does the work;
 * a reply's idempotency key is what makes a stale holder's late post harmless.
 */
import { type Sql, isUniqueViolation } from '../db/database.ts';

export interface LeaseRequest {
  readonly botId: string;
  readonly holder: string;
  readonly now: number;
  readonly leaseMs: number;
}

/** Takes or renews the lease: true when `holder` holds it until now + leaseMs. */
export async function takeLease(db: Sql, { botId, holder, now, leaseMs }: LeaseRequest): Promise<boolean> {
  const expiresAt = now + leaseMs;
  const { affectedRows } = await db.execute('UPDATE bot_leases SET holder = ?, expires_at = ? WHERE bot_id = ? AND (holder = ? OR expires_at < ?)', [
    holder,
    expiresAt,
    botId,
    holder,
    now,
  ]);
  if (affectedRows > 0) return true;
  try {
    await db.execute('INSERT INTO bot_leases (bot_id, holder, expires_at) VALUES (?, ?, ?)', [botId, holder, expiresAt]);
    return true;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // The row exists: held by someone else, or ours with nothing changed (MySQL counts changed rows, not matched ones).
    return holdsLease(db, { botId, holder, now });
  }
}

/** Whether `holder` holds the lease at `now` (checked before a reply is posted). */
export async function holdsLease(db: Sql, { botId, holder, now }: Omit<LeaseRequest, 'leaseMs'>): Promise<boolean> {
  const rows = await db.query('SELECT 1 AS held FROM bot_leases WHERE bot_id = ? AND holder = ? AND expires_at >= ?', [botId, holder, now]);
  return rows.length > 0;
}

/** Gives the lease up (a clean stop): another instance may take it at its next look instead of waiting for it to expire. */
export async function releaseLease(db: Sql, { botId, holder }: Pick<LeaseRequest, 'botId' | 'holder'>): Promise<void> {
  await db.execute('UPDATE bot_leases SET expires_at = 0 WHERE bot_id = ? AND holder = ?', [botId, holder]);
}

/** The lease as stored (tests, `thrds bot list`); null when nobody ever held it. */
export async function leaseOf(db: Sql, botId: string): Promise<{ holder: string; expiresAt: number } | null> {
  const [row] = await db.query<{ holder: string; expires_at: number | string }>('SELECT holder, expires_at FROM bot_leases WHERE bot_id = ?', [botId]);
  return row ? { holder: row.holder, expiresAt: Number(row.expires_at) } : null;
}
