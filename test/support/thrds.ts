/** Opens a migrated Thrds on a fresh test database, and cleans it up. */
import { openThrds, type OpenThrdsOptions, type Thrds } from '../../src/openThrds.ts';
import { createTestDatabase, type StoreKind, type TestDatabase } from './databases.ts';

export interface TestThrds extends Thrds {
  readonly database: TestDatabase;
  /** Opens another independent Thrds (own pool, own writer) on the same database. */
  another(options?: Omit<OpenThrdsOptions, 'databaseUrl'>): Promise<Thrds>;
  dispose(): Promise<void>;
}

export async function openTestThrds(kind: StoreKind, options: Omit<OpenThrdsOptions, 'databaseUrl'> = {}): Promise<TestThrds> {
  const database = await createTestDatabase(kind);
  const thrds = await openThrds({ ...options, databaseUrl: database.url });
  const others: Thrds[] = [];
  return {
    ...thrds,
    database,
    async another(more = {}) {
      const other = await openThrds({ ...more, databaseUrl: database.url });
      others.push(other);
      return other;
    },
    async dispose() {
      for (const other of others) await other.close();
      await thrds.close();
      await database.drop();
    },
  };
}

export const systemMetadata = { actorId: null, correlationId: 'test', causationId: null } as const;
