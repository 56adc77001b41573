/** `thrds export [--after P]`: the log as JSON lines on standard output, streamed, in its stored form. */
import { exportLog } from '../../audit/exportLog.ts';
import { positionFlag } from '../args.ts';
import { type Command, commonFlags, openExisting, progressFor, using } from '../command.ts';
import { LineWriter } from '../output.ts';

export const exportCommand: Command = {
  summary: 'write the log as JSON lines to standard output (stored form, streaming)',
  usage: '[--after P] > log.jsonl',
  flags: { ...commonFlags, after: 'string' },
  async run(args) {
    const after = positionFlag(args, 'after');
    const progress = progressFor(args, 'export');
    const count = await using(await openExisting(args), (db) =>
      exportLog(db, new LineWriter(process.stdout), { ...(after === undefined ? {} : { after }), onProgress: (d, t) => progress.update(d, t) }),
    );
    progress.finish(count);
    return 0;
  },
};
