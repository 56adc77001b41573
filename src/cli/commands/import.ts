/**
 * `thrds import < log.jsonl`: loads an exported log into an empty store,
 * checking every hash as it goes, then builds the read models up to it.
 */
import { importLog, ImportRefusedError } from '../../audit/importLog.ts';
import { BadLineError } from '../../audit/eventLine.ts';
import { rebuildProjections } from '../../projections/rebuild.ts';
import { readLines } from '../readLines.ts';
import { CliError, type Command, commonFlags, openMigrated, progressFor, using } from '../command.ts';

export const importCommand: Command = {
  summary: 'load JSON lines from standard input into an empty store, checking every hash',
  usage: '< log.jsonl',
  flags: commonFlags,
  async run(args) {
    const { db } = await openMigrated(args);
    return using(db, async () => {
      const progress = progressFor(args, 'import');
      let head;
      try {
        head = await importLog(db, readLines(process.stdin), { onProgress: (done) => progress.update(done) });
      } catch (error) {
        if (error instanceof ImportRefusedError || error instanceof BadLineError) throw new CliError(`${error.message}; nothing was imported`);
        throw error;
      }
      progress.finish(head.position);
      // The read models are empty: building them like a rebuild (large pages, then one swap) is the fast way up to the head.
      const projecting = progressFor(args, 'projections');
      const built = await rebuildProjections(db, { pageSize: 5000, onProgress: (position, at) => projecting.update(position, at) });
      projecting.finish(built.events);
      console.log(`imported ${head.position} events; head position ${head.position}, hash ${head.hash}; read models caught up`);
      return 0;
    });
  },
};
