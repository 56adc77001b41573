/**
 * A MariaDB primary and a replica of it, both the test's own (ownMariadb.ts):
 * binary log in ROW format, GTID replication (`MASTER_USE_GTID=slave_pos`)
 * from the primary's first write on. For tests of DATABASE_READ_URL; the
 * shared instance on 3306 is never touched.
 */
import { OwnMariadb } from './ownMariadb.ts';

export class OwnReplicaPair {
  private constructor(
    readonly primary: OwnMariadb,
    readonly replica: OwnMariadb,
  ) {}

  static async start(): Promise<OwnReplicaPair> {
    const primary = await OwnMariadb.start({ replication: { serverId: 1, role: 'primary' } });
    let replica: OwnMariadb | undefined;
    try {
      replica = await OwnMariadb.start({ replication: { serverId: 2, role: 'replica' } });
      const pair = new OwnReplicaPair(primary, replica);
      await pair.startReplication();
      return pair;
    } catch (error) {
      await replica?.dispose();
      await primary.dispose();
      throw error;
    }
  }

  /** DATABASE_URL and DATABASE_READ_URL for `database`. */
  urls(database: string): { readonly databaseUrl: string; readonly readDatabaseUrl: string } {
    return { databaseUrl: `${this.primary.url}/${database}`, readDatabaseUrl: `${this.replica.url}/${database}` };
  }

  /** Points the replica at the primary and starts both replication threads (again, after a restart of the replica). */
  async startReplication(): Promise<void> {
    await this.replica.query(`CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=${this.primary.port}, MASTER_USER='root', MASTER_USE_GTID=slave_pos`);
    await this.replica.query('START SLAVE');
  }

  /** Stops applying what the replica receives: it falls behind the primary until `resumeApplying`. */
  async stopApplying(): Promise<void> {
    await this.replica.query('STOP SLAVE SQL_THREAD');
  }

  async resumeApplying(): Promise<void> {
    await this.replica.query('START SLAVE SQL_THREAD');
  }

  /** The replica applies each transaction `seconds` after the primary committed it (MASTER_DELAY; 0: at once). Replication keeps running: the replica is behind, not stopped. */
  async delayApplying(seconds: number): Promise<void> {
    await this.replica.query('STOP SLAVE');
    await this.replica.query(`CHANGE MASTER TO MASTER_DELAY=${Math.trunc(seconds)}`);
    await this.replica.query('START SLAVE');
  }

  /** The replica's applied `log_head` position for `database` (0 before the table has arrived). */
  async replicaPosition(database: string): Promise<number> {
    const rows = await this.replica.query<{ position: number | string }>(`SELECT position FROM \`${database}\`.log_head WHERE id = 1`).catch(() => []);
    return Number(rows[0]?.position ?? 0);
  }

  async dispose(): Promise<void> {
    await this.replica.dispose();
    await this.primary.dispose();
  }
}
