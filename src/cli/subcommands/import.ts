/**
 * `thrds import [FILE]`: loads an exported log into an empty store,
 * checking every hash as it goes, then builds the read models up to it.
 */
import { BadLineError } from '../../audit/eventLine.ts';
import { importLog, ImportRefusedError } from '../../audit/importLog.ts';
import { rebuildProjections } from '../../projections/rebuild.ts';
import { type Command, progressFor, wantsJson } from '../subcommand.ts';
import { CheckFailedError, ExitCode } from '../exitCodes.ts';
import { openInput } from '../inputFile.ts';
import { openMigrated, using } from '../openStore.ts';
import { readLines } from '../readLines.ts';

export const importCommand: Command = {
  name: 'import',
  summary: 'load a JSON-lines log (FILE or standard input) into an empty store, checking every hash',
  description: [
    'Reads a log written by `thrds export` (this format, or the first one with numeric positions and',
    'epoch-millisecond times) into an empty store, in one transaction: every position and hash is',
    'checked as it streams in, and every erasable content against its digest (erased content must have',
    'been erased by a later event); the first bad line rolls everything back. Then builds the read',
    'models up to the imported head. Creates the store when it is missing.',
  ].join('\n'),
  args: [{ name: 'FILE', optional: true, description: 'the log to read; `-` or none: standard input' }],
  flags: {},
  json: 'print one object: {"imported":N,"head":{"position":N,"hash":"…"}}',
  examples: [
    ['thrds import log.jsonl --db mysql://thrds:secret@127.0.0.1:3306/thrds', 'load a file into a new MariaDB database'],
    ['gunzip -c log.jsonl.gz | thrds import', 'from standard input'],
  ],
  exitCodes: {
    1: 'the input was refused (a bad line, a broken chain, or a store that is not empty); nothing was imported',
    2: 'bad usage, or FILE cannot be read',
    3: 'cannot open or create the store',
  },
  async run(args) {
    const input = await openInput(args.positionals[0]);
    const { db } = await openMigrated(args, { mustExist: false });
    return using(db, async () => {
      const progress = progressFor(args, 'import');
      let head;
      try {
        head = await importLog(db, readLines(input.stream), { onProgress: (done) => progress.update(done) });
      } catch (error) {
        if (error instanceof ImportRefusedError || error instanceof BadLineError) throw new CheckFailedError(`${error.message}; nothing was imported`);
        throw error;
      }
      progress.finish(head.position);
      // The read models are empty: building them like a rebuild (large pages, then one swap) is the fast way up to the head.
      const projecting = progressFor(args, 'projections');
      const built = await rebuildProjections(db, { pageSize: 5000, onProgress: (position, at) => projecting.update(position, at) });
      projecting.finish(built.events);
      if (wantsJson(args)) console.log(JSON.stringify({ imported: head.position, head }));
      else console.log(`imported ${head.position} events; head position ${head.position}, hash ${head.hash}; read models caught up`);
      return ExitCode.ok;
    });
  },
};
