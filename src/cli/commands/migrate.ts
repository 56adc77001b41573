/** `thrds migrate`: applies pending migrations and says which. */
import { type Command, commonFlags, openMigrated } from '../command.ts';

export const migrateCommand: Command = {
  summary: 'apply pending migrations and say which',
  usage: '',
  flags: commonFlags,
  async run(args) {
    const { db, applied } = await openMigrated(args);
    await db.close();
    if (applied.length === 0) console.log(`${db.displayUrl}: up to date, no migrations to apply`);
    else for (const m of applied) console.log(`${db.displayUrl}: applied ${String(m.version).padStart(3, '0')}_${m.name}`);
    return 0;
  },
};
