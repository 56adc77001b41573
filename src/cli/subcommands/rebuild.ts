/** `thrds rebuild [projection…]`: rebuilds read models from the log, online, and swaps them in one step. */
import { migrate } from '../../db/migrate.ts';
import { allProjections } from '../../projections/projectionEngine.ts';
import { projectionsNamed, rebuildProjections } from '../../projections/rebuild.ts';
import { positionFlag } from '../args.ts';
import { type Command, progressFor, wantsJson } from '../subcommand.ts';
import { ExitCode, UsageError } from '../exitCodes.ts';
import { openExisting, using } from '../openStore.ts';

const known = allProjections.map((p) => p.name);

export const rebuildCommand: Command = {
  name: 'rebuild',
  summary: 'rebuild read models from the log while the server runs, then swap them in one step',
  description: [
    'Fills fresh copies of the named read models (default: all) from the log while the server keeps',
    'appending, catches up with what was appended meanwhile, and swaps them in one step. The store',
    'must already hold a log.',
  ].join('\n'),
  args: [{ name: 'PROJECTION', optional: true, variadic: true, description: `a read model to rebuild: ${known.join(', ')} (default: all)` }],
  flags: { 'page-size': { kind: 'string', value: 'N', description: 'events read per page while filling', default: '25000' } },
  json: 'print one object: {"projections":[…],"events":N,"position":N}',
  examples: [
    ['thrds rebuild', 'every read model'],
    ['thrds rebuild messages --page-size 5000', 'only messages, in smaller pages'],
  ],
  exitCodes: { 1: null, 2: `bad usage, or a PROJECTION that is not one of ${known.join(', ')}` },
  async run(args) {
    let projections;
    try {
      projections = projectionsNamed(args.positionals);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const pageSize = positionFlag(args, 'page-size');
    if (pageSize === 0) throw new UsageError('--page-size must be at least 1');
    const db = await openExisting(args);
    const progress = progressFor(args, 'rebuild');
    const result = await using(db, async () => {
      await migrate(db);
      return rebuildProjections(db, { projections, ...(pageSize ? { pageSize } : {}), onProgress: (position, head) => progress.update(position, head) });
    });
    progress.finish(result.events);
    if (wantsJson(args)) console.log(JSON.stringify({ projections: result.projections, events: result.events, position: result.position }));
    else console.log(`rebuilt ${result.projections.join(', ')} from ${result.events} events; live at position ${result.position}`);
    return ExitCode.ok;
  },
};
