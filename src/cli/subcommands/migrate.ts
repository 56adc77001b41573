/** `thrds migrate`: applies pending migrations and says which. */
import { type Command, wantsJson } from '../subcommand.ts';
import { ExitCode } from '../exitCodes.ts';
import { openMigrated } from '../openStore.ts';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'apply pending migrations and say which (creates the store when missing)',
  description: [
    'Brings the store\'s tables up to date and names each migration it applied. Unlike the read-only',
    'commands it creates the store when it is missing: the SQLite file, or the MariaDB database (utf8mb4).',
  ].join('\n'),
  args: [],
  flags: {},
  json: 'print one object: {"store":"<url without password>","applied":["001_event_log",…]}',
  examples: [
    ['thrds migrate', 'the embedded store'],
    ['thrds migrate --db mysql://thrds:secret@127.0.0.1:3306/thrds', 'a MariaDB store'],
  ],
  exitCodes: { 1: null },
  async run(args) {
    const { db, applied } = await openMigrated(args, { mustExist: false });
    await db.close();
    const names = applied.map((m) => `${String(m.version).padStart(3, '0')}_${m.name}`);
    if (wantsJson(args)) console.log(JSON.stringify({ store: db.displayUrl, applied: names }));
    else if (names.length === 0) console.log(`${db.displayUrl}: up to date, no migrations to apply`);
    else for (const name of names) console.log(`${db.displayUrl}: applied ${name}`);
    return ExitCode.ok;
  },
};
