/**
 * `thrds backup FILE`: a consistent copy of the store, taken while the
 * server runs. SQLite: the backup API into a new database file. MariaDB:
 * `mariadb-dump --single-transaction` into an SQL file.
 */
import { statSync } from 'node:fs';
import { readHead } from '../../audit/logHead.ts';
import { booleanFlag } from '../args.ts';
import { type Command, databaseUrl, wantsJson } from '../subcommand.ts';
import { ExitCode, UsageError } from '../exitCodes.ts';
import { newFile } from '../newFile.ts';
import { openExisting, using } from '../openStore.ts';
import { dumpMariadb, dumpTargetOf } from '../backup/mariadbDump.ts';
import { backupSqlite } from '../backup/sqliteBackup.ts';
import { redactedUrl } from '../../db/openDatabase.ts';

export const backupCommand: Command = {
  name: 'backup',
  summary: 'copy the store into FILE while the server runs (SQLite backup API, or mariadb-dump)',
  description: [
    'SQLite: copies the database with SQLite\'s online backup API in one read transaction, so FILE holds',
    'one consistent point of the log even while a server appends; FILE is itself a store (thrds verify',
    '--db sqlite:FILE). MariaDB/MySQL: runs `mariadb-dump --single-transaction` (or mysqldump) into FILE,',
    'a consistent snapshot without locking the tables; restore with `mariadb NEWDB < FILE` (see the',
    'README, also for mariabackup). FILE appears only once complete and is never overwritten without',
    '--force. Read-only: the store is never created or changed.',
  ].join('\n'),
  args: [{ name: 'FILE', description: 'where to write the copy (SQLite: a database file; MariaDB: an SQL dump)' }],
  flags: { force: { kind: 'boolean', description: 'replace FILE if it exists' } },
  json: 'print one object: {"file","store","bytes","head"?:{"position","hash"}} (head: the copy\'s, SQLite only)',
  examples: [
    ['thrds backup /var/backups/thrds-$(date +%F).db', 'the embedded store, into a dated file'],
    ['thrds backup --db mysql://thrds:secret@127.0.0.1:3306/thrds thrds.sql', 'a MariaDB store, as an SQL dump'],
    ['thrds verify --db sqlite:/var/backups/thrds-2026-12-01.db', 'check a SQLite backup'],
  ],
  exitCodes: {
    1: null,
    2: 'bad usage, or FILE exists (without --force) or its directory does not',
    3: 'cannot open the store: no such SQLite file or MariaDB database, or no event log in it',
    4: 'the copy failed, or no mariadb-dump/mysqldump on PATH for a MariaDB store',
  },
  async run(args) {
    const url = databaseUrl(args);
    const target = newFile(args.positionals[0]!, booleanFlag(args, 'force'));
    const store = redactedUrl(url);
    let head;
    try {
      if (url.startsWith('sqlite:')) {
        const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
        if (!path || path === ':memory:') throw new UsageError(`cannot back up ${url}: name a database file`);
        head = (await backupSqlite(path, target.temporary)).head;
      } else {
        // Checks that the database exists and holds a log (exit 3 if not) before dumping it.
        const before = await using(await openExisting(args), readHead);
        await dumpMariadb(dumpTargetOf(url), target.temporary);
        if (!wantsJson(args) && !booleanFlag(args, 'quiet')) console.error(`backup: the log's head was at position ${before.position} when the dump began`);
      }
      await target.publish();
    } catch (error) {
      await target.discard();
      throw error;
    }
    const bytes = statSync(target.target).size;
    if (wantsJson(args)) console.log(JSON.stringify({ file: target.target, store, bytes, ...(head ? { head } : {}) }));
    else if (head) console.log(`backed up ${store} to ${args.positionals[0]}: ${bytes} bytes, log head at position ${head.position}, hash ${head.hash}`);
    else console.log(`backed up ${store} to ${args.positionals[0]}: ${bytes} bytes (mariadb-dump --single-transaction)`);
    return ExitCode.ok;
  },
};
