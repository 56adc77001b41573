/**
 * A projection turns events into read-model rows. Its `evolve` half is
 * pure (events in, row changes out); its `statements` half turns those
 * changes into the SQL that writes them into `table` (the live table, or a
 * fresh one during a rebuild), still without touching the database.
 */
import type { Sql, Statement } from '../db/database.ts';
import type { StoredEvent } from '../events/types.ts';

export interface Projection {
  readonly name: string;
  /** The live read-model table it maintains. */
  readonly table: string;
  /** The writes that bring `table` (default: the live one) up to date with these events, in order. */
  statements(events: readonly StoredEvent[], table?: string): Statement[];
  apply(tx: Sql, events: readonly StoredEvent[], table?: string): Promise<void>;
}

/** A projection from its name, table and statements: `apply` runs the statements in the caller's transaction. */
export function projection(name: string, statements: Projection['statements']): Projection {
  return {
    name,
    table: name,
    statements,
    async apply(tx, events, table) {
      await tx.batch(statements(events, table));
    },
  };
}

/** Only identifiers we build ourselves reach SQL as table names. */
export function tableName(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a table name: ${name}`);
  return name;
}
