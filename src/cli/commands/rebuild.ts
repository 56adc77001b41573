/** `thrds rebuild [projection…]`: rebuilds read models from the log, online, and swaps them in one step. */
import { projectionsNamed, rebuildProjections } from '../../projections/rebuild.ts';
import { positionFlag } from '../args.ts';
import { CliError, type Command, commonFlags, openMigrated, progressFor, using } from '../command.ts';

export const rebuildCommand: Command = {
  summary: 'rebuild read models from the log while the server runs, then swap them in one step',
  usage: '[users] [threads] [messages] [--page-size N]   (default: all)',
  flags: { ...commonFlags, 'page-size': 'string' },
  async run(args) {
    let projections;
    try {
      projections = projectionsNamed(args.positionals);
    } catch (error) {
      throw new CliError((error as Error).message);
    }
    const pageSize = positionFlag(args, 'page-size');
    const { db } = await openMigrated(args);
    const progress = progressFor(args, 'rebuild');
    const result = await using(db, () =>
      rebuildProjections(db, { projections, ...(pageSize ? { pageSize } : {}), onProgress: (position, head) => progress.update(position, head) }),
    );
    progress.finish(result.events);
    console.log(`rebuilt ${result.projections.join(', ')} from ${result.events} events; live at position ${result.position}`);
    return 0;
  },
};
