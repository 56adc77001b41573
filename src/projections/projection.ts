/**
 * A projection turns events into read-model rows. Its `evolve` half is
 * pure (events in, row changes out); its `apply` half is the SQL that writes
 * those changes, in the caller's transaction, into `table` (the live table,
 * or a fresh one during a rebuild).
 */
import type { Sql } from '../db/database.ts';
import type { StoredEvent } from '../events/types.ts';

export interface Projection {
  readonly name: string;
  /** The live read-model table it maintains. */
  readonly table: string;
  apply(tx: Sql, events: readonly StoredEvent[], table?: string): Promise<void>;
}

/** Only identifiers we build ourselves reach SQL as table names. */
export function tableName(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a table name: ${name}`);
  return name;
}
